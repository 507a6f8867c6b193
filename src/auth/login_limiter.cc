#include "auth/login_limiter.h"

namespace kiln::auth {
namespace {

std::string UserKey(std::string_view user) { return "user " + std::string(user); }
std::string AddressKey(std::string_view address) { return "address " + std::string(address); }

}  // namespace

LoginLimiter::LoginLimiter(LoginLimits limits, Clock clock)
    : limits_(limits),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })) {}

Status LoginLimiter::Check(std::string_view user, std::string_view address) const {
  MutexLock lock(mu_);
  if (!user.empty()) {
    KILN_RETURN_IF_ERROR(CheckKey(UserKey(user), "user '" + std::string(user) + "'"));
  }
  if (!address.empty()) {
    KILN_RETURN_IF_ERROR(CheckKey(AddressKey(address), "address " + std::string(address)));
  }
  return Status::Ok();
}

Status LoginLimiter::CheckKey(const std::string& key, std::string_view what) const {
  auto it = failures_.find(key);
  if (it == failures_.end() || it->second.count < limits_.max_failures) return Status::Ok();
  const auto left = it->second.window_start + limits_.window - clock_();
  if (left <= std::chrono::steady_clock::duration::zero()) return Status::Ok();
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(left).count();
  return ResourceExhausted("too many failed logins for " + std::string(what) + "; try again in " +
                           std::to_string(seconds) + " s");
}

void LoginLimiter::RecordFailure(std::string_view user, std::string_view address) {
  MutexLock lock(mu_);
  const TimePoint now = clock_();
  if (!user.empty()) Count(UserKey(user), now);
  if (!address.empty()) Count(AddressKey(address), now);
}

void LoginLimiter::Count(const std::string& key, TimePoint now) {
  if (failures_.size() >= limits_.max_keys && failures_.find(key) == failures_.end()) {
    std::erase_if(failures_, [&](const auto& entry) {
      return now - entry.second.window_start >= limits_.window;
    });
    // Still full of live keys: drop the oldest-named rather than grow without bound.
    if (failures_.size() >= limits_.max_keys) failures_.erase(failures_.begin());
  }
  Failures& f = failures_[key];
  if (f.count == 0 || now - f.window_start >= limits_.window) f = Failures{0, now};
  ++f.count;
}

void LoginLimiter::RecordSuccess(std::string_view user) {
  MutexLock lock(mu_);
  auto it = failures_.find(UserKey(user));
  if (it != failures_.end()) failures_.erase(it);
}

}  // namespace kiln::auth
