// PasswordCache: remembers, for a few minutes, that a user name and password matched a stored
// password hash, so HTTP Basic clients (the mlflow client sends credentials on every request)
// do not pay the slow KDF per request.
//
// Why it is safe: an entry is keyed by HMAC-SHA-256 under a random key made per process and
// never stored, so it is found only by presenting the same user name and password again, and
// nothing in it can be turned back into the password without that key. Each entry holds the
// stored hash it was checked against; the caller reads the user's row on every request and a hit
// counts only while that row's hash is the same, so a password reset or change invalidates it at
// once, and the caller checks `disabled` from the same row. Failures are never cached.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/mutex.h"
#include "common/status.h"

namespace kiln::auth {

class PasswordCache {
 public:
  using Clock = std::chrono::steady_clock;

  // Entries live for `ttl`; at most `capacity` are kept. Errors: as RandomBytes (the key).
  static Result<std::unique_ptr<PasswordCache>> Make(
      std::chrono::seconds ttl = std::chrono::minutes(5), size_t capacity = 10000);

  // Whether `user` and `password` were remembered against exactly `stored_hash` within the
  // ttl. Thread-safe.
  bool Matches(std::string_view user, std::string_view password, std::string_view stored_hash)
      EXCLUDES(mu_);
  // Remembers that `user` and `password` matched `stored_hash`. Thread-safe.
  void Remember(std::string_view user, std::string_view password, std::string_view stored_hash)
      EXCLUDES(mu_);

 private:
  struct Entry {
    std::string stored_hash;
    Clock::time_point expires;
  };

  PasswordCache(std::string key, std::chrono::seconds ttl, size_t capacity)
      : key_(std::move(key)), ttl_(ttl), capacity_(capacity) {}
  std::string KeyOf(std::string_view user, std::string_view password) const;

  const std::string key_;  // the HMAC key, random per process
  const std::chrono::seconds ttl_;
  const size_t capacity_;
  Mutex mu_;
  std::unordered_map<std::string, Entry> entries_ GUARDED_BY(mu_);
};

}  // namespace kiln::auth
