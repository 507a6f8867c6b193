// How a step of a builtin module (`builtin: NAME`, code inside the kiln binary) becomes a
// process like any other step: the runner writes a request file into the step's folder and
// runs `<kiln> builtin-step <request>` (see ml/builtin_request.h for the file's contract), so a
// crashing builtin never takes the runner down and cancel, timeout and logs work the same.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "exec/step_launch.h"
#include "pipeline/resolve.h"

namespace kiln::exec {

// The path of the running executable (/proc/self/exe), or "" when it cannot be read.
std::string SelfExecutable();

// The default command prefix for builtin steps: {SelfExecutable(), "builtin-step"}.
std::vector<std::string> DefaultBuiltinCommand();

// Writes <step dir>/builtin.json for builtin step `step` (its params typed, input paths,
// output paths, metrics file) and returns `prefix` + that path as the step's argv.
// Errors: kFailedPrecondition for an empty prefix, kInternal on I/O.
// `input_sources` names each input for messages (BoundInput::source).
Result<std::vector<std::string>> BuiltinStepCommand(
    const std::vector<std::string>& prefix, const pipeline::ResolvedStep& step,
    const StepPaths& paths, const std::map<std::string, std::string>& input_paths,
    const std::map<std::string, std::string>& input_sources);

}  // namespace kiln::exec
