// The server's guard (http::Router::SetGuard) when it requires authentication: who is calling
// (auth::AuthService) and whether the route's policy lets them (auth::ProjectService), before any
// handler runs.
#pragma once

#include <string>
#include <string_view>

#include "auth/auth_service.h"
#include "auth/project_service.h"
#include "common/request_context.h"
#include "common/status.h"
#include "http/router.h"

namespace kiln::api {

// The project every object belongs to until objects carry their own (issue 16's migration).
inline constexpr const char* kDefaultProject = "default";

// A guard that, for a network request (context.peer set; in-process calls are the data folder's
// owner and pass), authenticates its Authorization header into context.identity and then:
// kPublic routes pass; other routes need an identity (else 401 UNAUTHENTICATED with a
// WWW-Authenticate challenge); kAdmin needs an instance admin whose token is not narrowed;
// project roles need at least that role in kDefaultProject (context.identity->project_role),
// else 403 PERMISSION_DENIED naming the role found and the role needed. Bad credentials are 401
// whatever the route; too many failures 429. Both services must outlive the guard.
http::Guard MakeAuthGuard(auth::AuthService& auth, auth::ProjectService& projects);

// For a check inside a handler, beyond its route's policy: OK when the caller has at least
// `role` in the request's project, or when nobody authenticated it (authentication off, or an
// in-process call). Errors: kPermissionDenied naming the role found, the role needed and `what`.
Status RequireProjectRole(const RequestContext& ctx, std::string_view role,
                          const std::string& what);

}  // namespace kiln::api
