// The builtin modules compiled into kiln, by the name a manifest's `builtin:` gives.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "ml/builtin_step.h"

namespace kiln::ml {

// Runs the builtin `step` names. Errors: kNotFound for an unknown builtin (listing the known
// ones), otherwise the builtin's own (kInvalidArgument for bad data, naming column and row).
Status RunBuiltin(const BuiltinStep& step);

// Every builtin's name, sorted.
std::vector<std::string> BuiltinNames();

}  // namespace kiln::ml
