#include "exec/task_outcome.h"

#include <fmt/format.h>
#include <string.h>

#include <utility>

namespace kiln::exec {
namespace {

std::string ExitText(const ExitInfo& exit) {
  if (exit.signal != 0) {
    const char* abbrev = sigabbrev_np(exit.signal);
    std::string name = abbrev != nullptr ? std::string("SIG") + abbrev : "unknown";
    return fmt::format("killed by signal {} ({})", exit.signal, name);
  }
  if (exit.exit_code < 0) return "exit status unavailable";
  return fmt::format("exit code {}", exit.exit_code);
}

}  // namespace

ProcessResult CancelledBeforeStart() {
  ProcessResult result;
  result.outcome = Outcome::kCancelled;
  result.message = "cancelled";
  return result;
}

ProcessResult StartFailed(std::string message) {
  ProcessResult result;
  result.outcome = Outcome::kStartFailed;
  result.message = std::move(message);
  return result;
}

ProcessResult Ended(const ExitInfo& exit, StopReason reason, int64_t timeout_ms) {
  ProcessResult result;
  result.exit_code = exit.exit_code;
  result.signal = exit.signal;
  if (reason == StopReason::kTimeout) {
    result.outcome = Outcome::kTimedOut;
    result.message = fmt::format("timed out after {:.1f} s", timeout_ms / 1000.0);
  } else if (reason == StopReason::kCancel) {
    result.outcome = Outcome::kCancelled;
    result.message = "cancelled";
  } else {
    bool ok = exit.signal == 0 && exit.exit_code == 0;
    result.outcome = ok ? Outcome::kSucceeded : Outcome::kFailed;
    result.message = ExitText(exit);
  }
  return result;
}

}  // namespace kiln::exec
