// LoginLimiter: refuses logins for a user name, or from a client address, after too many
// failures in a window, so passwords cannot be guessed at network speed. Each key is limited on
// its own: one user's (or address's) failures never block another's.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "common/mutex.h"
#include "common/status.h"

namespace kiln::auth {

struct LoginLimits {
  int max_failures = 10;                // failures allowed in one window
  std::chrono::seconds window{5 * 60};  // from a key's first failure
  size_t max_keys = 100000;             // memory bound (keys past it evict expired ones)
};

class LoginLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `clock` defaults to std::chrono::steady_clock::now.
  explicit LoginLimiter(LoginLimits limits = {}, Clock clock = {});

  // OK while `user` and `address` are both under the limit ("" skips that key). Errors:
  // kResourceExhausted naming the user or address and the seconds to wait. Thread-safe.
  Status Check(std::string_view user, std::string_view address) const EXCLUDES(mu_);
  // Counts one failed login against `user` and `address` ("" skips that key). Thread-safe.
  void RecordFailure(std::string_view user, std::string_view address) EXCLUDES(mu_);
  // Forgets `user`'s failures after a successful login (its address's stay). Thread-safe.
  void RecordSuccess(std::string_view user) EXCLUDES(mu_);

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Failures {
    int count = 0;
    TimePoint window_start;
  };

  Status CheckKey(const std::string& key, std::string_view what) const REQUIRES(mu_);
  void Count(const std::string& key, TimePoint now) REQUIRES(mu_);

  const LoginLimits limits_;
  const Clock clock_;
  mutable Mutex mu_;
  std::map<std::string, Failures, std::less<>> failures_ GUARDED_BY(mu_);
};

}  // namespace kiln::auth
