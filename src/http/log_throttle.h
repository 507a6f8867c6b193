// LogThrottle: at most one log line per period for an event that can repeat thousands of times
// a second (refused connections, failed accepts), carrying the count of the events in between.
#pragma once

#include <chrono>
#include <cstdint>

#include "common/mutex.h"

namespace kiln::http {

class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LogThrottle(Clock::duration period) : period_(period) {}
  // Counts one event. Returns how many events the caller's log line should report (this one
  // and those counted since the last line) when a line is due, else 0. Thread-safe.
  uint64_t Count();

 private:
  const Clock::duration period_;
  Mutex mu_;
  uint64_t pending_ GUARDED_BY(mu_) = 0;
  Clock::time_point last_line_ GUARDED_BY(mu_){};
};

}  // namespace kiln::http
