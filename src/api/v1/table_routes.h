// The first rows of a stored .ktab table, e.g. a pipeline step's table output (documented in
// docs/api.md): GET /api/v1/tables/{digest}?limit=100
#pragma once

#include "api/endpoint.h"

namespace kiln::api::v1 {

void AddTableRoutes(http::Router& router, Services& services);

}  // namespace kiln::api::v1
