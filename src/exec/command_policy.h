// What a network client may run when the server does not accept commands from the network
// (`kiln server --allow-remote-commands=false`): builtin modules, and command modules from the
// standard library, KILN_MODULE_PATH and the published modules, as long as the client does not
// choose the code they run. Anything else would let whoever reaches the port run programs as
// the server's user.
#pragma once

#include <string>

#include "common/status.h"
#include "pipeline/module_manifest.h"
#include "pipeline/resolve.h"

namespace kiln::exec {

// The flag that turns the policy off, for messages.
inline constexpr const char* kAllowRemoteCommandsFlag = "--allow-remote-commands";

// OK when no step of `pipeline` (planned with base_dir `base_dir`) runs a command its sender
// chose. Errors: kPermissionDenied "<file>:<line>:<col>: steps.STEP: ..." naming the first step
// that does and the flag: an inline command step, a command module from the pipeline's own
// folder (<base_dir>/modules), or a command module whose parameter set by the step is the
// program or the script of `-c`/`-e` (as the standard library's `shell` runs its `script`).
// Pure function.
Status CheckNoClientCommands(const pipeline::ResolvedPipeline& pipeline,
                             const std::string& base_dir);

// OK when `manifest` may be published by a network client: a builtin module. Errors:
// kPermissionDenied naming the module and the flag for a command module. Pure function.
Status CheckPublishableRemotely(const pipeline::ModuleManifest& manifest);

}  // namespace kiln::exec
