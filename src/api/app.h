// App: a Kiln instance over a data folder: the metadata store, the artifact store, the
// domain services and the router with every API route. Used by `kiln server`, by the CLI
// (in-process requests) and by tests and benchmarks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/endpoint.h"
#include "api/serving/predict_routes.h"
#include "auth/auth_service.h"
#include "auth/project_service.h"
#include "exec/executor_factory.h"
#include "http/router.h"
#include "store/meta_store.h"

namespace kiln::api {

// How an App treats requests that come over the network (http::Request::peer set); in-process
// requests (the CLI over a data folder) are always trusted.
struct AppOptions {
  // Whether network clients may run commands they chose: inline command steps, their project's
  // command modules, command module publishing (see exec/command_policy.h).
  bool allow_remote_commands = true;
  // Folders a network client's pipeline folder (base_dir) may lie in, besides
  // <data folder>/pipelines, which always counts.
  std::vector<std::string> pipeline_roots;
  // The seams: the metadata store's and the artifact store's URIs ("" = sqlite:/// of
  // <data folder>/kiln.db and file:// of <data folder>/artifacts) and the executor of steps.
  std::string store_uri;
  std::string artifacts_uri;
  exec::ExecutorConfig executor;
  // Whether network requests must authenticate and pass their route's policy (MakeAuthGuard).
  bool require_auth = false;
};

class App {
 public:
  // Opens (creating if needed) `data_dir` and the seams `options` names (by default kiln.db,
  // SQLite in WAL mode, and artifacts/ inside it). Errors: kInvalidArgument when the folder
  // cannot be created or a seam's URI or kind is unknown, kInternal when the database cannot be
  // opened or migrated.
  static Result<std::unique_ptr<App>> Open(const std::string& data_dir,
                                           const AppOptions& options = {});

  const http::Router& router() const { return router_; }
  // The users and tokens of the store. Thread-safe.
  auth::AuthService& auth() { return *auth_; }
  // The data folder (absolute).
  const std::string& data_dir() const { return data_dir_; }
  // The projects and their members. Thread-safe.
  auth::ProjectService& projects() { return *projects_; }
  // Runs one request through the router in-process.
  http::Response Handle(http::Request& request) const { return router_.Dispatch(request); }

  // The content-addressed store under the data folder. Thread-safe.
  artifacts::ArtifactStore& artifacts() { return *artifacts_; }
  // The pipeline runner; runs live as long as the App. Thread-safe.
  exec::PipelineService& pipelines() { return *pipelines_; }
  // Tells steps where the tracking API is (MLFLOW_TRACKING_URI); call before serving.
  void SetTrackingUri(const std::string& uri);
  // Starts the schedule thread (Open does not, so one-shot CLI commands never fire schedules).
  // Call once the server listens. Thread-safe.
  void StartScheduler();
  // Makes this process the one that serves the deployments: opens the request log and starts
  // loading and hot-swapping the models; deployments that set no drift minimum use
  // `drift_min_rows` (live rows before drift has a level). Call once, before the server
  // starts. Errors: as RequestLog::Open (kFailedPrecondition when another server has this
  // data folder).
  Status StartServing(int64_t drift_min_rows = serving::kDefaultDriftMinRows);
  // Serves the web UI from `ui_dir` (see WebUiHandler) on every path no API route takes.
  // Call once, before the server starts.
  void ServeWebUi(const std::string& ui_dir);

 private:
  App() = default;

  std::unique_ptr<store::MetaStore> store_;
  std::unique_ptr<artifacts::ArtifactStore> artifacts_;
  std::unique_ptr<artifacts::BlobUploads> uploads_;  // staged in artifacts/uploads
  std::unique_ptr<auth::AuthService> auth_;
  std::unique_ptr<auth::ProjectService> projects_;
  std::unique_ptr<tracking::TrackingService> tracking_;
  std::unique_ptr<registry::RegistryService> registry_;
  std::unique_ptr<pipeline::PublishedModules> modules_;
  std::unique_ptr<datasets::DatasetRegistry> datasets_;
  std::unique_ptr<serving::DeploymentStore> deployment_specs_;
  std::unique_ptr<serving::ModelLoader> model_loader_;
  // Declared after what its loading thread uses, so it stops first.
  std::unique_ptr<serving::DeploymentManager> deployments_;
  std::unique_ptr<serving::Monitoring> monitoring_;
  std::unique_ptr<serving_api::ServingContext> serving_;
  std::string data_dir_;
  // Declared after the stores its runs use, so it is destroyed (runs cancelled) before them.
  std::unique_ptr<exec::PipelineService> pipelines_;
  // Declared after pipelines_, so its thread stops before the runner goes away.
  std::unique_ptr<exec::Scheduler> scheduler_;
  std::unique_ptr<Services> services_;
  http::Router router_;
};

}  // namespace kiln::api
