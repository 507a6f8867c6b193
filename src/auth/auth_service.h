// AuthService: the users and API tokens of a Kiln instance, kept in the MetaStore, and the
// authentication of a request's Authorization header against them. Administration (adding
// users, making tokens) trusts its caller: the CLI over the data folder, or an admin-only route.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>
#include <vector>

#include "auth/login_limiter.h"
#include "auth/password_cache.h"
#include "auth/password_hash.h"
#include "common/request_context.h"
#include "store/meta_store.h"

namespace kiln::auth {

struct UserInfo {
  std::string name;
  bool admin = false;
  bool disabled = false;
  int64_t created_ms = 0;
};

struct TokenInfo {
  std::string token_id;  // 16 hex characters
  std::string user;
  std::string name;     // the creator's label, may be ""
  std::string prefix;   // the token's first characters ("kiln_AbCd1234")
  std::string project;  // "" = every project of its user
  std::string role;     // "" = its user's own role in each project
  std::optional<int64_t> expires_ms;
  std::optional<int64_t> revoked_ms;
  std::optional<int64_t> last_used_ms;
  int64_t created_ms = 0;
};

struct TokenRequest {
  std::string user;
  std::string name;
  std::string project;                // "" for none
  std::string role;                   // "" for none; else one of kRoles
  std::optional<int64_t> expires_ms;  // absolute, ms since the epoch; nullopt: never
};

struct CreatedToken {
  TokenInfo info;
  std::string secret;  // shown once; only its hash is stored
};

struct AuthOptions {
  ScryptParams scrypt;                           // for new password hashes
  LoginLimits limits;                            // failed-login rate limit
  std::function<int64_t()> now_ms;               // wall clock for expiry; default NowMillis
  LoginLimiter::Clock limiter_clock;             // default steady_clock::now
  std::chrono::seconds password_cache_ttl{300};  // how long a checked password is remembered
  int64_t last_used_interval_ms = 60'000;        // a token's last use is written at most this often
  std::chrono::seconds kdf_wait{10};  // how long a password check waits for a free scrypt slot
};

class AuthService {
 public:
  // Over `store`, which must outlive the service. Errors: kInternal when no random key can be
  // made for the password cache.
  static Result<std::unique_ptr<AuthService>> Make(store::MetaStore& store,
                                                   AuthOptions options = {});

  // Adds user `name` with `password` (hashed with the service's parameters, or
  // kGeneratedPasswordParams for a kGenerated one). Errors: kInvalidArgument for a bad name
  // (CheckUserName) or password (CheckPassword), kAlreadyExists when the name is taken.
  // Thread-safe (slow: hashes).
  Status AddUser(const std::string& name, const std::string& password, bool admin,
                 PasswordOrigin origin = PasswordOrigin::kChosen);
  // Every user, by name. Thread-safe.
  Result<std::vector<UserInfo>> ListUsers();
  // How many users exist. Thread-safe.
  Result<int64_t> CountUsers();
  // Disables `name`: its password and tokens stop working on the next request. Errors:
  // kNotFound naming the user. Thread-safe.
  Status DisableUser(const std::string& name);
  // Sets `name`'s password (cached logins with the old one end at once). Errors: kNotFound,
  // kInvalidArgument as AddUser. Thread-safe.
  Status SetPassword(const std::string& name, const std::string& password);

  // Makes a token for `request.user`. Errors: kNotFound for an unknown user or project,
  // kInvalidArgument for a bad name, role or project name, or an expiry not in the future.
  // Thread-safe.
  Result<CreatedToken> CreateToken(const TokenRequest& request);
  // The tokens of `user` ("" for every user's), newest first; never a secret. Thread-safe.
  Result<std::vector<TokenInfo>> ListTokens(const std::string& user = "");
  // Revokes the token whose id or prefix is `id_or_prefix`, effective on the next request.
  // Errors: kNotFound when none matches, kInvalidArgument when a prefix matches several,
  // kFailedPrecondition when it is already revoked. Thread-safe.
  Result<TokenInfo> RevokeToken(const std::string& id_or_prefix);

  // Who the Authorization `header` of a request from `peer` (an address, "" for in-process)
  // says is calling: nullopt for an empty header (anonymous), else the Identity of a valid
  // "Bearer TOKEN" or "Basic base64(user:password)" (the password may be one of the user's
  // tokens), a token narrowing it to its project and role. Reads the store on every call, so a
  // revocation, expiry, disable or password change takes effect on the next request, even when
  // another process made it. Errors: kUnauthenticated with a message that never holds the secret
  // (malformed or overlong header, unknown user or token, wrong password, disabled user, revoked
  // or expired token); kResourceExhausted after too many failures for the user or from `peer`;
  // kUnavailable when two password checks (scrypt) already run and none ends within kdf_wait;
  // kInternal/kUnavailable from the store. Thread-safe.
  Result<std::optional<Identity>> Authenticate(std::string_view header, std::string_view peer = "");

 private:
  struct TokenRow {
    TokenInfo info;
    std::string hash;
    bool admin = false;
    bool disabled = false;
  };
  AuthService(store::MetaStore& store, AuthOptions options, std::unique_ptr<PasswordCache> cache);
  int64_t Now() const;
  Result<Identity> AuthenticateToken(const std::string& secret, const std::string& basic_user);
  Result<Identity> AuthenticatePassword(const std::string& user, const std::string& password);
  Result<std::optional<TokenRow>> FindToken(const std::string& secret);
  void NoteTokenUse(const TokenRow& row);
  void VerifyAgainstDummy(const std::string& password);
  Result<bool> BoundedVerify(const std::string& password, const std::string& encoded);

  store::MetaStore& store_;
  const AuthOptions options_;
  std::unique_ptr<PasswordCache> password_cache_;
  LoginLimiter limiter_;
  // At most two scrypt runs at once (128 MiB each at the default parameters), so a burst of
  // password logins cannot exhaust the server's memory.
  std::counting_semaphore<2> kdf_slots_{2};
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // hashed once; unknown users cost as much time as known ones
};

}  // namespace kiln::auth
