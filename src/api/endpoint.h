// Endpoint plumbing shared by all API handlers: argument parsing, JSON rendering and the
// one error mapping, so handlers only parse, call the domain and render.
#pragma once

#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/request_args.h"
#include "artifacts/artifact_store.h"
#include "artifacts/blob_uploads.h"
#include "common/request_context.h"
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

// A JSON route's handler: the request's context (who asks, from where, its id and deadline) and
// its arguments in, the JSON answer or an error out.
using JsonHandler =
    std::function<Result<nlohmann::json>(const RequestContext&, const RequestArgs&)>;

// The access policies routes declare (http/access_policy.h), short for the route files.
inline constexpr http::AccessPolicy kPublic = http::AccessPolicy::kPublic;
inline constexpr http::AccessPolicy kViewer = http::AccessPolicy::kViewer;
inline constexpr http::AccessPolicy kRunner = http::AccessPolicy::kRunner;
inline constexpr http::AccessPolicy kEditor = http::AccessPolicy::kEditor;
inline constexpr http::AccessPolicy kOwner = http::AccessPolicy::kOwner;
inline constexpr http::AccessPolicy kAdmin = http::AccessPolicy::kAdmin;

// Largest body an MLflow JSON route accepts (a log-batch at MLflow's own limits is far less).
inline constexpr size_t kMlflowMaxBodyBytes = 16 * 1024 * 1024;

// The media type of a Content-Type value, without parameters and spaces:
// "text/csv ; charset=utf-8" -> "text/csv".
std::string_view MediaType(std::string_view content_type);

// The request's Content-Type value ("" without one), borrowed from `request`.
std::string_view ContentTypeOf(const http::Request& request);

// Whether `content_type` (a Content-Type value) is JSON: "application/json", any case,
// optionally with parameters ("; charset=utf-8").
bool IsJsonContentType(std::string_view content_type);

// The 415 answer for a request a JSON route must refuse: one with a Content-Type that is not
// JSON, or a body without a Content-Type. HTML forms and "simple" cross-origin requests can
// only send text/plain, form or multipart bodies, so this keeps web pages out as well. nullopt
// when the request may go on.
std::optional<http::Response> RefuseNonJsonBody(const http::Request& request);

// An http handler that refuses non-JSON bodies (RefuseNonJsonBody), parses RequestArgs, runs
// `fn` with the request's context and answers 200 with its JSON, or the mapped error.
http::Handler JsonEndpoint(JsonHandler fn);

// Registers `fn` with `policy` for every method under both MLflow prefixes ("/api/2.0/mlflow/"
// and "/ajax-api/2.0/mlflow/") followed by `path`, with a body limit of kMlflowMaxBodyBytes.
void AddMlflowRoute(http::Router& router, std::initializer_list<const char*> methods,
                    const std::string& path, http::AccessPolicy policy, JsonHandler fn);

// Converts a Status into the JSON result type: `{}` when OK.
Result<nlohmann::json> EmptyOr(const Status& status);

}  // namespace kiln::api
