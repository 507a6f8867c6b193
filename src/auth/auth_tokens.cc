// AuthService: the administration of API tokens.
#include "auth/auth_service.h"
#include "auth/names.h"
#include "auth/secrets.h"
#include "common/ids.h"

namespace kiln::auth {
namespace {

using store::Row;
using store::Rows;
using store::Session;
using store::Value;

constexpr const char* kTokenColumns =
    "token_id, user_name, name, prefix, project, role, expires_ms, revoked_ms, last_used_ms, "
    "created_ms";

std::optional<int64_t> OptionalInt(const Row& row, size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return row.Int(i);
}

Value NullableText(const std::string& text) {
  if (text.empty()) return Value();
  return Value(text);
}

TokenInfo TokenOf(const Row& row) {
  TokenInfo t;
  t.token_id = row.Text(0);
  t.user = row.Text(1);
  t.name = row.Text(2);
  t.prefix = row.Text(3);
  t.project = row.Text(4);
  t.role = row.Text(5);
  t.expires_ms = OptionalInt(row, 6);
  t.revoked_ms = OptionalInt(row, 7);
  t.last_used_ms = OptionalInt(row, 8);
  t.created_ms = row.Int(9);
  return t;
}

Status CheckRequest(const TokenRequest& r, int64_t now) {
  KILN_RETURN_IF_ERROR(CheckTokenName(r.name));
  if (!r.project.empty()) KILN_RETURN_IF_ERROR(CheckProjectName(r.project));
  if (!r.role.empty()) KILN_RETURN_IF_ERROR(CheckRole(r.role));
  if (r.expires_ms && *r.expires_ms <= now) {
    return InvalidArgument("the token's expiry must be in the future");
  }
  return Status::Ok();
}

Status InsertToken(Session& session, const TokenRequest& r, const TokenInfo& t,
                   const std::string& hash) {
  KILN_ASSIGN_OR_RETURN(Rows users,
                        session.Query("SELECT name FROM users WHERE name = ?", {r.user}));
  if (users.empty()) return NotFound("no user '" + r.user + "'");
  if (!r.project.empty()) {
    KILN_ASSIGN_OR_RETURN(Rows projects,
                          session.Query("SELECT name FROM projects WHERE name = ?", {r.project}));
    if (projects.empty()) return NotFound("no project '" + r.project + "'");
  }
  return session.Exec(
      "INSERT INTO tokens (token_id, user_name, name, prefix, hash, project, role, expires_ms, "
      "revoked_ms, last_used_ms, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)",
      {t.token_id, t.user, t.name, t.prefix, hash, NullableText(t.project), NullableText(t.role),
       store::NullableInt(t.expires_ms), t.created_ms});
}

}  // namespace

Result<CreatedToken> AuthService::CreateToken(const TokenRequest& request) {
  KILN_RETURN_IF_ERROR(CheckUserName(request.user));
  const int64_t now = Now();
  KILN_RETURN_IF_ERROR(CheckRequest(request, now));
  KILN_ASSIGN_OR_RETURN(NewToken token, MakeToken());
  CreatedToken created;
  created.secret = token.secret;
  TokenInfo& t = created.info;
  t.token_id = NewHexId().substr(0, 16);
  t.user = request.user;
  t.name = request.name;
  t.prefix = token.prefix;
  t.project = request.project;
  t.role = request.role;
  t.expires_ms = request.expires_ms;
  t.created_ms = now;
  KILN_RETURN_IF_ERROR(
      store_.Write([&](Session& session) { return InsertToken(session, request, t, token.hash); }));
  return created;
}

Result<std::vector<TokenInfo>> AuthService::ListTokens(const std::string& user) {
  std::vector<TokenInfo> tokens;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& session) -> Status {
    const std::string sql = std::string("SELECT ") + kTokenColumns +
                            " FROM tokens WHERE ? = '' OR user_name = ? "
                            "ORDER BY created_ms DESC, token_id";
    KILN_ASSIGN_OR_RETURN(Rows rows, session.Query(sql, {user, user}));
    for (const Row& row : rows) tokens.push_back(TokenOf(row));
    return Status::Ok();
  }));
  return tokens;
}

Result<TokenInfo> AuthService::RevokeToken(const std::string& id_or_prefix) {
  if (id_or_prefix.empty()) return InvalidArgument("name a token by its id or prefix");
  TokenInfo revoked;
  KILN_RETURN_IF_ERROR(store_.Write([&](Session& session) -> Status {
    const std::string sql =
        std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE token_id = ? OR prefix = ?";
    KILN_ASSIGN_OR_RETURN(Rows rows, session.Query(sql, {id_or_prefix, id_or_prefix}));
    if (rows.empty()) return NotFound("no token with id or prefix '" + id_or_prefix + "'");
    if (rows.size() > 1) {
      return InvalidArgument("prefix '" + id_or_prefix + "' matches " +
                             std::to_string(rows.size()) + " tokens; name one by its id");
    }
    revoked = TokenOf(rows[0]);
    if (revoked.revoked_ms) {
      return FailedPrecondition("token " + revoked.prefix + " is already revoked");
    }
    revoked.revoked_ms = Now();
    return session.Exec("UPDATE tokens SET revoked_ms = ? WHERE token_id = ?",
                        {*revoked.revoked_ms, revoked.token_id});
  }));
  return revoked;
}

Result<std::optional<AuthService::TokenRow>> AuthService::FindToken(const std::string& secret) {
  const std::string hash = TokenHash(secret);
  std::optional<TokenRow> found;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& session) -> Status {
    // Looked up by prefix, then the hash compared in constant time: the database index never
    // sees (or times) a comparison on the secret's digest.
    const std::string sql = std::string("SELECT ") + kTokenColumns +
                            ", hash, (SELECT u.admin FROM users u WHERE u.name = "
                            "tokens.user_name), COALESCE((SELECT u.disabled FROM users u WHERE "
                            "u.name = tokens.user_name), 1) FROM tokens WHERE prefix = ?";
    KILN_ASSIGN_OR_RETURN(Rows rows, session.Query(sql, {TokenPrefix(secret)}));
    for (const Row& row : rows) {
      if (!ConstantTimeEquals(row.Text(10), hash)) continue;
      found = TokenRow{TokenOf(row), row.Text(10), row.Int(11) != 0, row.Int(12) != 0};
    }
    return Status::Ok();
  }));
  return found;
}

void AuthService::NoteTokenUse(const TokenRow& row) {
  const int64_t now = Now();
  const int64_t last = row.info.last_used_ms.value_or(0);
  if (now - last < options_.last_used_interval_ms) return;
  // Best effort: a busy store must not fail the request it authenticates.
  store_
      .Write([&](Session& session) {
        return session.Exec(
            "UPDATE tokens SET last_used_ms = ? WHERE token_id = ? AND (last_used_ms IS NULL OR "
            "last_used_ms <= ?)",
            {now, row.info.token_id, now - options_.last_used_interval_ms});
      })
      .IgnoreError();
}

}  // namespace kiln::auth
