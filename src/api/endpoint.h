// Endpoint plumbing shared by all API handlers: argument parsing, JSON rendering and the
// one error mapping, so handlers only parse, call the domain and render.
#pragma once

#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

#include "api/request_args.h"
#include "artifacts/artifact_store.h"
#include "artifacts/blob_uploads.h"
#include "datasets/dataset_registry.h"
#include "exec/pipeline_service.h"
#include "exec/scheduler.h"
#include "http/router.h"
#include "pipeline/published_modules.h"
#include "registry/registry_service.h"
#include "serving/deployment_manager.h"
#include "serving/monitoring.h"
#include "tracking/tracking_service.h"

namespace kiln::api {

// Everything the handlers reach; owned by the caller and outliving the router.
struct Services {
  tracking::TrackingService& tracking;
  registry::RegistryService& registry;
  artifacts::ArtifactStore& artifacts;
  pipeline::PublishedModules& modules;
  exec::PipelineService& pipelines;
  exec::Scheduler& scheduler;
  datasets::DatasetRegistry& datasets;
  serving::DeploymentManager& deployments;
  serving::Monitoring& monitoring;
  artifacts::BlobUploads& uploads;
};

using JsonHandler = std::function<Result<nlohmann::json>(const RequestArgs&)>;

// An http handler that parses RequestArgs, runs `fn` and answers 200 with its JSON, or the
// mapped error.
http::Handler JsonEndpoint(JsonHandler fn);

// Registers `fn` for every method under both MLflow prefixes ("/api/2.0/mlflow/" and
// "/ajax-api/2.0/mlflow/") followed by `path`.
void AddMlflowRoute(http::Router& router, std::initializer_list<const char*> methods,
                    const std::string& path, JsonHandler fn);

// Converts a Status into the JSON result type: `{}` when OK.
Result<nlohmann::json> EmptyOr(const Status& status);

}  // namespace kiln::api
