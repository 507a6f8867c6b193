// Saved pipeline definitions over the native API (documented in docs/api.md, "Pipelines"):
//   GET    /api/v1/pipelines                 list by name, each with its newest run
//   POST   /api/v1/pipelines/validate        check a spec as a run would, run nothing
//   GET    /api/v1/pipelines/{name}          one definition with its spec
//   PUT    /api/v1/pipelines/{name}          validate and store a definition
//   DELETE /api/v1/pipelines/{name}          forget a definition (its runs stay); also
//   POST   /api/v1/pipelines/{name}/delete
// Names may contain '/', so the GET, PUT and DELETE routes take the rest of the path.
#pragma once

#include "api/endpoint.h"

namespace kiln::api::v1 {

void AddSavedPipelineRoutes(http::Router& router, Services& services);

}  // namespace kiln::api::v1
