#include "api/auth_guard.h"

#include "api/error_mapping.h"
#include "auth/names.h"

namespace kiln::api {
namespace {

using http::AccessPolicy;

int RankNeeded(AccessPolicy policy) { return auth::RoleRank(http::AccessPolicyName(policy)); }

http::Response Refuse(const Status& status) {
  http::Response response = ErrorResponse(status);
  if (response.status == 401)
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"kiln\"");
  return response;
}

std::string RoleDescription(const Identity& who, const std::string& role) {
  const std::string user = "user '" + who.user + "'";
  if (role.empty()) return user + " has no role in project '" + kDefaultProject + "'";
  return user + " is " + (role == "editor" || role == "owner" ? "an " : "a ") + role +
         " in project '" + kDefaultProject + "'";
}

}  // namespace

Status RequireProjectRole(const RequestContext& ctx, std::string_view role,
                          const std::string& what) {
  if (!ctx.identity) return Status::Ok();
  const Identity& caller = *ctx.identity;
  if (auth::RoleRank(caller.project_role) >= auth::RoleRank(role)) return Status::Ok();
  return PermissionDenied(RoleDescription(caller, caller.project_role) + "; " + what + " needs " +
                          std::string(role) + " or more");
}

http::Guard MakeAuthGuard(auth::AuthService& auth, auth::ProjectService& projects) {
  return [&auth, &projects](http::Request& request,
                            AccessPolicy policy) -> std::optional<http::Response> {
    if (request.context.peer.empty()) return std::nullopt;
    Result<std::optional<Identity>> who =
        auth.Authenticate(request.Header("authorization"), request.context.peer);
    if (!who.ok()) return Refuse(who.status());
    request.context.identity = std::move(*who);
    if (policy == AccessPolicy::kPublic) return std::nullopt;
    if (!request.context.identity) {
      return Refuse(Unauthenticated(
          "authentication required: send 'Authorization: Bearer TOKEN' (a token from `kiln "
          "tokens create`) or Basic credentials"));
    }
    Identity& caller = *request.context.identity;
    if (policy == AccessPolicy::kAdmin) {
      if (caller.admin && caller.project.empty() && caller.role.empty()) return std::nullopt;
      return Refuse(
          PermissionDenied("only an instance admin may do this (with a token that is "
                           "not narrowed to a project or role)"));
    }
    Result<std::string> role = projects.EffectiveRole(caller, kDefaultProject);
    if (!role.ok()) return Refuse(role.status());
    caller.project_role = *role;
    if (auth::RoleRank(*role) >= RankNeeded(policy)) return std::nullopt;
    return Refuse(PermissionDenied(RoleDescription(caller, *role) + "; this needs " +
                                   http::AccessPolicyName(policy) + " or more"));
  };
}

}  // namespace kiln::api
