#include "exec/executor.h"

namespace kiln::exec {

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kSucceeded:
      return "succeeded";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kTimedOut:
      return "timed_out";
    case Outcome::kCancelled:
      return "cancelled";
    case Outcome::kStartFailed:
      return "start_failed";
  }
  return "unknown";
}

}  // namespace kiln::exec
