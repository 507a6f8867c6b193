// Applying parsed command-line overrides (overrides.h) to a pipeline spec before validation.
// Pure functions; thread-safe if the library is.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/module_library.h"
#include "pipeline/overrides.h"
#include "pipeline/pipeline_spec.h"

namespace kiln::pipeline {

// Applies `point` to `*spec` in order (targets as in ResolveKey):
// - pipeline param: `NAME=v` sets the declared param's default (typed by ConvertLiteral, and
//   makes it optional); `+NAME=v` declares a new param with an inferred type (InferParamSpec);
//   `++NAME=v` does either; `~NAME[=v]` removes the declaration (v must equal its default).
// - step param: `STEP.P=v` (and `++`) sets it: the module must declare P; `${params.NAME}`
//   becomes a reference, anything else a literal checked against the module's declaration;
//   `+STEP.P=v` is the same but fails if the file already sets P; `~STEP.P[=v]` removes the
//   file's setting (v must equal it).
// - step field: timeout_seconds, retries, resources.memory_mb (ints >= 0), resources.cpus (> 0);
//   `~` resets to the default (0, or 1 cpu); `+` is an error (the fields always exist).
// After all are applied, every reference set by an override must name a declared pipeline param,
// and a deleted pipeline param must not be referenced by any step.
// Errors: kInvalidArgument "override '<text>': <path>: <problem>", e.g. "override
// 'train.eta=abc': steps.train.params.eta: expected a float, found 'abc'"; a sweep in `point`;
// an unknown step or param (listing the known ones); a missing module. On error `*spec` is
// left unchanged.
Status ApplyOverrides(const std::vector<Override>& point, const ModuleLibrary& library,
                      PipelineSpec* spec);

// The declaration `+NAME=v` adds: a list if v is one (items: int if all are ints, float if all
// are numbers, bool if all are bools, else string), else int, float, bool or string as v reads;
// quoted values are strings. Its default is v and it is optional. Errors: kInvalidArgument
// "params.NAME: ..." for a name that is not an identifier or a nested list.
Result<ParamSpec> InferParamSpec(const std::string& name, const OverrideValue& value);

}  // namespace kiln::pipeline
