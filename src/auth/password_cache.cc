#include "auth/password_cache.h"

#include "auth/secrets.h"

namespace kiln::auth {

Result<std::unique_ptr<PasswordCache>> PasswordCache::Make(std::chrono::seconds ttl,
                                                           size_t capacity) {
  KILN_ASSIGN_OR_RETURN(std::string key, RandomBytes(32));
  return std::unique_ptr<PasswordCache>(new PasswordCache(std::move(key), ttl, capacity));
}

std::string PasswordCache::KeyOf(std::string_view user, std::string_view password) const {
  // The length prefix keeps ("a", "b:c") and ("a:b", "c") apart.
  return HmacSha256(
      key_, std::to_string(user.size()) + ":" + std::string(user) + ":" + std::string(password));
}

bool PasswordCache::Matches(std::string_view user, std::string_view password,
                            std::string_view stored_hash) {
  const std::string key = KeyOf(user, password);
  MutexLock lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  if (Clock::now() >= it->second.expires) {
    entries_.erase(it);
    return false;
  }
  return ConstantTimeEquals(it->second.stored_hash, stored_hash);
}

void PasswordCache::Remember(std::string_view user, std::string_view password,
                             std::string_view stored_hash) {
  const std::string key = KeyOf(user, password);
  const Clock::time_point now = Clock::now();
  MutexLock lock(mu_);
  if (entries_.size() >= capacity_) {
    std::erase_if(entries_, [&](const auto& entry) { return now >= entry.second.expires; });
    if (entries_.size() >= capacity_) entries_.clear();
  }
  entries_[key] = Entry{std::string(stored_hash), now + ttl_};
}

}  // namespace kiln::auth
