// Exit codes shared by every subcommand.
#pragma once

#include "common/status.h"

namespace kiln::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // internal errors, unreachable server
inline constexpr int kExitUsage = 2;    // the user's mistake: bad flag, bad value, unknown id

// kExitUsage for errors the user caused, kExitFailure for the rest.
int ExitCodeFor(const Status& status);

}  // namespace kiln::cli
