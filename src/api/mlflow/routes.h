// The MLflow REST API 2.0 routes (tracking, registry, artifacts).
#pragma once

#include "api/endpoint.h"

namespace kiln::api::mlflow {

// experiments/*.
void AddExperimentRoutes(http::Router& router, Services& services);
// runs/*, metrics/get-history, artifacts/list.
void AddRunRoutes(http::Router& router, Services& services);
// registered-models/*, model-versions/*.
void AddRegistryRoutes(http::Router& router, Services& services);
// /api/2.0/mlflow-artifacts/artifacts[/path] (PUT, GET, DELETE, list).
void AddArtifactRoutes(http::Router& router, Services& services);

}  // namespace kiln::api::mlflow
