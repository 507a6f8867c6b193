// How the local executor turns the end of a task into a ProcessResult (outcome and message).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "exec/child_process.h"
#include "exec/executor.h"

namespace kiln::exec {

// Why the executor stopped a running task, if it did.
enum class StopReason { kNone, kTimeout, kCancel };

// A task cancelled before it started: kCancelled, "cancelled", times 0.
ProcessResult CancelledBeforeStart();

// A task whose process could not start: kStartFailed with `message`, times 0.
ProcessResult StartFailed(std::string message);

// A task whose process ended with `exit` (times left 0 for the caller): kTimedOut or
// kCancelled when the executor stopped it (`reason`), else kSucceeded for exit code 0 and
// kFailed otherwise. `timeout_ms` is quoted in the timeout message.
ProcessResult Ended(const ExitInfo& exit, StopReason reason, int64_t timeout_ms);

}  // namespace kiln::exec
