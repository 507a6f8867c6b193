// AuthService: construction and the administration of users.
#include "auth/auth_service.h"
#include "auth/names.h"
#include "common/ids.h"

namespace kiln::auth {

using store::Rows;
using store::Session;

Result<std::unique_ptr<AuthService>> AuthService::Make(store::MetaStore& store,
                                                       AuthOptions options) {
  KILN_ASSIGN_OR_RETURN(std::unique_ptr<PasswordCache> cache,
                        PasswordCache::Make(options.password_cache_ttl));
  return std::unique_ptr<AuthService>(new AuthService(store, std::move(options), std::move(cache)));
}

AuthService::AuthService(store::MetaStore& store, AuthOptions options,
                         std::unique_ptr<PasswordCache> cache)
    : store_(store),
      options_(std::move(options)),
      password_cache_(std::move(cache)),
      limiter_(options_.limits, options_.limiter_clock) {}

int64_t AuthService::Now() const { return options_.now_ms ? options_.now_ms() : NowMillis(); }

Status AuthService::AddUser(const std::string& name, const std::string& password, bool admin,
                            PasswordOrigin origin) {
  KILN_RETURN_IF_ERROR(CheckUserName(name));
  KILN_RETURN_IF_ERROR(CheckPassword(password));
  const ScryptParams& params =
      origin == PasswordOrigin::kGenerated ? kGeneratedPasswordParams : options_.scrypt;
  KILN_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, params));
  const int64_t now = Now();
  Status added = store_.Write([&](Session& session) {
    return session.Exec(
        "INSERT INTO users (name, password_hash, admin, disabled, created_ms, updated_ms) "
        "VALUES (?, ?, ?, 0, ?, ?)",
        {name, hash, int64_t{admin ? 1 : 0}, now, now});
  });
  if (added.code() == StatusCode::kAlreadyExists) {
    return AlreadyExists("user '" + name + "' already exists");
  }
  return added;
}

Result<std::vector<UserInfo>> AuthService::ListUsers() {
  std::vector<UserInfo> users;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& session) -> Status {
    KILN_ASSIGN_OR_RETURN(
        Rows rows,
        session.Query("SELECT name, admin, disabled, created_ms FROM users ORDER BY name"));
    for (const store::Row& row : rows) {
      users.push_back(UserInfo{row.Text(0), row.Int(1) != 0, row.Int(2) != 0, row.Int(3)});
    }
    return Status::Ok();
  }));
  return users;
}

Result<int64_t> AuthService::CountUsers() {
  int64_t count = 0;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& session) -> Status {
    KILN_ASSIGN_OR_RETURN(Rows rows, session.Query("SELECT COUNT(*) FROM users"));
    count = rows.empty() ? 0 : rows[0].Int(0);
    return Status::Ok();
  }));
  return count;
}

Status AuthService::DisableUser(const std::string& name) {
  return store_.Write([&](Session& session) -> Status {
    KILN_RETURN_IF_ERROR(session.Exec(
        "UPDATE users SET disabled = 1, updated_ms = ? WHERE name = ?", {Now(), name}));
    if (session.Changes() == 0) return NotFound("no user '" + name + "'");
    return Status::Ok();
  });
}

Status AuthService::SetPassword(const std::string& name, const std::string& password) {
  KILN_RETURN_IF_ERROR(CheckPassword(password));
  KILN_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, options_.scrypt));
  return store_.Write([&](Session& session) -> Status {
    KILN_RETURN_IF_ERROR(session.Exec(
        "UPDATE users SET password_hash = ?, updated_ms = ? WHERE name = ?", {hash, Now(), name}));
    if (session.Changes() == 0) return NotFound("no user '" + name + "'");
    return Status::Ok();
  });
}

}  // namespace kiln::auth
