// The native REST API, /api/v1/... (documented in docs/api.md).
#pragma once

#include "api/endpoint.h"

namespace kiln::api::v1 {

// GET /api/v1/health, /experiments, /experiments/{id}, /runs, /runs/{run_id}, /models,
// /models/{name}; POST /experiments.
void AddRoutes(http::Router& router, Services& services);

}  // namespace kiln::api::v1
