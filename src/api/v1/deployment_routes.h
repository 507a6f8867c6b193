// Deployments (serving/deployment_manager.h; documented in docs/api.md):
//   POST   /api/v1/deployments {"name", "model", "canary", "canary_weight"}  create or update
//   PUT    /api/v1/deployments/{name}  the same
//   GET    /api/v1/deployments, GET /api/v1/deployments/{name}
//   GET    /api/v1/deployments/{name}/requests?since_ms=&limit=  the newest logged requests
//   DELETE /api/v1/deployments/{name}, or POST /api/v1/deployments/{name}/delete
#pragma once

#include "api/endpoint.h"
#include "http/router.h"

namespace kiln::api::v1 {

void AddDeploymentRoutes(http::Router& router, Services& services);

}  // namespace kiln::api::v1
