// `kiln module publish|ls|show|yank`: the module library from the command line, over the native API
// (in-process against --data DIR, or over HTTP against --server URL).
#pragma once

#include <string>

#include "cli/api_caller.h"
#include "cli/query_commands.h"

namespace CLI {
class App;
}  // namespace CLI

namespace kiln::cli {

// Registers the `module` command group on `app`; the command that runs stores its exit code
// in `rc`. `rc` must outlive parsing. Not thread-safe (CLI setup).
void AddModuleCommands(CLI::App& app, int& rc);

// Publishes folder `dir` (module.yaml and its files, as LoadModuleFolder sees them) and prints
// "published NAME@VERSION (digest D)" or "NAME@VERSION already published (same content)".
// Returns 0, 2 for a bad folder or manifest, a refused file or a conflicting version, 1 when
// the server is unreachable or fails.
int PublishModule(ApiCaller& api, const std::string& dir, const OutputFlags& out);
// Prints the published modules as a table (or the API's JSON). Returns the exit code.
int ListModules(ApiCaller& api, const OutputFlags& out);
// Prints one module, `ref` = NAME or NAME@VERSION (latest when no version): identity, how it
// runs, params (type, default, range/values, required, help), inputs, outputs and files.
// Returns 2 for an unknown module or version.
int ShowModule(ApiCaller& api, const std::string& ref, const OutputFlags& out);
// Yanks published version `ref` = NAME@VERSION (POST /api/v1/modules/yank) and prints "yanked
// NAME@VERSION" or "already yanked: NAME@VERSION". Returns 0, 2 for a malformed reference or
// an unknown module or version, 1 when the server is unreachable or fails.
int YankModule(ApiCaller& api, const std::string& ref, const OutputFlags& out);

}  // namespace kiln::cli
