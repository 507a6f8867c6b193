// The `register` builtin: adds a step's model package as a new version of a registered model
// and, when asked, moves an alias to it if its metric beats the current holder's. It lives in
// cli/ because it talks to the registry through the API, in-process on the run's data folder
// (KILN_DATA_DIR), like the rest of the CLI.
#pragma once

#include "ml/builtin_step.h"

namespace kiln::cli {

// Runs a `register` step: inputs `model` (a package folder, `/trees/<digest>`) and optional
// `report` (evaluate's JSON); params `name`, `alias`, `metric`, `mode` (max or min). Logs
// `registered_version` and `alias_moved`. Exit codes as RunBuiltinStep.
int RunRegisterStep(const ml::BuiltinStep& step);

}  // namespace kiln::cli
