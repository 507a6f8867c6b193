// `kiln builtin-step REQUEST.json`: runs one step of a builtin module in its own process (the
// pipeline runner starts it; see exec/builtin_launch.h and ml/builtin_step.h).
#pragma once

#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace kiln::cli {

// Registers the hidden `builtin-step` command; its exit code goes to `rc`.
void AddBuiltinStepCommand(CLI::App& app, int& rc);

// Runs the request in `path`. Exit codes: 0 done, 1 the step failed (the reason on stderr, which
// is the step's log), 2 an unreadable request.
int RunBuiltinStep(const std::string& path);

}  // namespace kiln::cli
