#include "http/log_throttle.h"

namespace kiln::http {

uint64_t LogThrottle::Count() {
  MutexLock lock(mu_);
  ++pending_;
  const Clock::time_point now = Clock::now();
  if (last_line_ != Clock::time_point{} && now - last_line_ < period_) return 0;
  last_line_ = now;
  const uint64_t count = pending_;
  pending_ = 0;
  return count;
}

}  // namespace kiln::http
