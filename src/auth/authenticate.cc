// AuthService: authenticating a request's Authorization header.
#include "auth/auth_service.h"
#include "auth/authorization.h"
#include "auth/secrets.h"

namespace kiln::auth {
namespace {

using store::Rows;
using store::Session;

// One answer for an unknown user and a wrong password, so neither reveals which names exist.
Status WrongLogin() { return Unauthenticated("wrong user name or password"); }

struct UserRow {
  std::string password_hash;
  bool admin = false;
  bool disabled = false;
};

}  // namespace

Result<std::optional<Identity>> AuthService::Authenticate(std::string_view header,
                                                          std::string_view peer) {
  KILN_RETURN_IF_ERROR(limiter_.Check("", peer));
  Result<std::optional<Credentials>> parsed = ParseAuthorization(header);
  if (!parsed.ok()) {
    limiter_.RecordFailure("", peer);
    return parsed.status();
  }
  if (!parsed->has_value()) return std::optional<Identity>();
  const Credentials& credentials = **parsed;
  // Passwords are guessable, so their user is limited too; tokens (256 random bits) are not,
  // which keeps a user's automation working while someone guesses at their password.
  const bool password = credentials.basic && !LooksLikeToken(credentials.secret);
  if (password) KILN_RETURN_IF_ERROR(limiter_.Check(credentials.user, peer));
  Result<Identity> identity = password ? AuthenticatePassword(credentials.user, credentials.secret)
                                       : AuthenticateToken(credentials.secret, credentials.user);
  if (!identity.ok()) {
    if (identity.status().code() == StatusCode::kUnauthenticated) {
      limiter_.RecordFailure(password ? credentials.user : "", peer);
    }
    return identity.status();
  }
  if (password) limiter_.RecordSuccess(credentials.user);
  return std::optional<Identity>(std::move(*identity));
}

Result<Identity> AuthService::AuthenticateToken(const std::string& secret,
                                                const std::string& basic_user) {
  if (!LooksLikeToken(secret)) {
    return Unauthenticated("not a Kiln token (expected kiln_ and 43 more characters)");
  }
  KILN_ASSIGN_OR_RETURN(std::optional<TokenRow> row, FindToken(secret));
  if (!row) return Unauthenticated("unknown token");
  const TokenInfo& t = row->info;
  if (t.revoked_ms) return Unauthenticated("token " + t.prefix + " was revoked");
  if (t.expires_ms && *t.expires_ms <= Now())
    return Unauthenticated("token " + t.prefix + " expired");
  if (!basic_user.empty() && basic_user != t.user) {
    return Unauthenticated("token " + t.prefix + " does not belong to user '" + basic_user + "'");
  }
  if (row->disabled) return Unauthenticated("user '" + t.user + "' is disabled");
  NoteTokenUse(*row);
  return Identity{t.user, row->admin, t.project, t.role};
}

Result<Identity> AuthService::AuthenticatePassword(const std::string& user,
                                                   const std::string& password) {
  std::optional<UserRow> row;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& session) -> Status {
    KILN_ASSIGN_OR_RETURN(
        Rows rows,
        session.Query("SELECT password_hash, admin, disabled FROM users WHERE name = ?", {user}));
    if (!rows.empty()) row = UserRow{rows[0].Text(0), rows[0].Int(1) != 0, rows[0].Int(2) != 0};
    return Status::Ok();
  }));
  if (!row || password.size() > kMaxPasswordLength) {
    VerifyAgainstDummy(password);
    return WrongLogin();
  }
  if (!password_cache_->Matches(user, password, row->password_hash)) {
    KILN_ASSIGN_OR_RETURN(bool matches, BoundedVerify(password, row->password_hash));
    if (!matches) return WrongLogin();
    password_cache_->Remember(user, password, row->password_hash);
  }
  // Said only to whoever knows the password.
  if (row->disabled) return Unauthenticated("user '" + user + "' is disabled");
  return Identity{user, row->admin, "", ""};
}

void AuthService::VerifyAgainstDummy(const std::string& password) {
  std::call_once(dummy_once_, [this] {
    Result<std::string> hash = HashPassword("not a password", options_.scrypt);
    if (hash.ok()) dummy_hash_ = *hash;
  });
  if (!dummy_hash_.empty()) BoundedVerify(password, dummy_hash_).status().IgnoreError();
}

Result<bool> AuthService::BoundedVerify(const std::string& password, const std::string& encoded) {
  if (!kdf_slots_.try_acquire_for(options_.kdf_wait)) {
    return Unavailable("too many password logins at once; retry, or use a token");
  }
  Result<bool> matches = VerifyPassword(password, encoded);
  kdf_slots_.release();
  return matches;
}

}  // namespace kiln::auth
