#include "api/app.h"

#include <filesystem>
#include <system_error>

#include "api/error_mapping.h"
#include "api/mlflow/artifact_paths.h"
#include "api/mlflow/routes.h"
#include "api/serving/predict_routes.h"
#include "api/v1/blob_upload_routes.h"
#include "api/v1/dataset_routes.h"
#include "api/v1/deployment_routes.h"
#include "api/v1/module_routes.h"
#include "api/v1/pipeline_changes.h"
#include "api/v1/pipeline_events.h"
#include "api/v1/pipeline_routes.h"
#include "api/v1/routes.h"
#include "api/v1/saved_pipeline_routes.h"
#include "api/v1/schedule_routes.h"
#include "api/v1/table_routes.h"
#include "api/web_ui.h"
#include "artifacts/artifact_store_uri.h"
#include "store/store_uri.h"

namespace kiln::api {
namespace {

exec::PipelineServiceOptions PipelineOptions(const std::string& data_dir,
                                             const std::string& store_uri,
                                             const std::string& artifacts_uri,
                                             const AppOptions& app_options,
                                             const pipeline::PublishedModules& modules,
                                             datasets::DatasetRegistry& datasets) {
  exec::PipelineServiceOptions options;
  options.data_dir = data_dir;
  options.step_env = {{"KILN_STORE", store_uri}, {"KILN_ARTIFACTS", artifacts_uri}};
  options.allow_remote_commands = app_options.allow_remote_commands;
  options.pipeline_roots = app_options.pipeline_roots;
  options.datasets = &datasets;
  const std::string cache = data_dir + "/modules";
  options.published_modules = [&modules, cache] { return modules.LoadAll(cache); };
  return options;
}

// Error answers name the server's own folders by role, not by path (see HidePathInErrors).
void HideServerFolders(const std::string& data_dir) {
  std::error_code ec;
  for (const std::string& dir : {data_dir, pipeline::StdModulesDir()}) {
    if (dir.empty()) continue;
    const std::string label = dir == data_dir ? "<data folder>" : "<standard library>";
    HidePathInErrors(dir, label);
    const std::filesystem::path canonical = std::filesystem::weakly_canonical(dir, ec);
    if (!ec) HidePathInErrors(canonical.string(), label);
  }
}

}  // namespace

Result<std::unique_ptr<App>> App::Open(const std::string& requested_dir,
                                       const AppOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(requested_dir, ec);
  // The folder is the user's choice, so failing to create it is their mistake to fix.
  if (ec) {
    return InvalidArgument("cannot create data folder '" + requested_dir + "': " + ec.message());
  }
  // Absolute, because steps run in their own folders and are handed paths inside this one.
  const std::string data_dir =
      std::filesystem::absolute(requested_dir, ec).lexically_normal().string();
  HideServerFolders(data_dir);
  std::unique_ptr<App> app(new App());
  const std::string store_uri =
      options.store_uri.empty() ? store::SqliteUri(data_dir + "/kiln.db") : options.store_uri;
  const std::string artifacts_uri = options.artifacts_uri.empty()
                                        ? artifacts::FileUri(data_dir + "/artifacts")
                                        : options.artifacts_uri;
  KILN_ASSIGN_OR_RETURN(std::unique_ptr<exec::Executor> executor,
                        exec::MakeExecutor(options.executor));
  KILN_ASSIGN_OR_RETURN(app->store_, store::OpenMetaStore(store_uri));
  KILN_ASSIGN_OR_RETURN(app->artifacts_, artifacts::OpenArtifactStore(artifacts_uri));
  // Uploads are staged on the artifact store's filesystem, so a finished one moves in at once.
  const std::string staging =
      artifacts::LocalFolderOf(artifacts_uri).value_or(data_dir + "/artifacts") + "/uploads";
  KILN_ASSIGN_OR_RETURN(app->uploads_, artifacts::BlobUploads::Open(*app->artifacts_, staging));
  app->tracking_ =
      std::make_unique<tracking::TrackingService>(*app->store_, mlflow::kArtifactScheme);
  KILN_RETURN_IF_ERROR(app->tracking_->Init());
  app->registry_ = std::make_unique<registry::RegistryService>(*app->store_);
  app->modules_ = std::make_unique<pipeline::PublishedModules>(*app->store_, *app->artifacts_);
  app->datasets_ = std::make_unique<datasets::DatasetRegistry>(*app->store_, *app->artifacts_);
  app->pipelines_ = std::make_unique<exec::PipelineService>(
      *app->store_, *app->tracking_, *app->artifacts_,
      PipelineOptions(data_dir, store_uri, artifacts_uri, options, *app->modules_, *app->datasets_),
      std::move(executor));
  app->scheduler_ = std::make_unique<exec::Scheduler>(*app->store_, *app->pipelines_);
  app->deployment_specs_ = std::make_unique<serving::DeploymentStore>(*app->store_);
  app->model_loader_ = std::make_unique<serving::ModelLoader>(*app->registry_, *app->artifacts_,
                                                              data_dir + "/serving/packages");
  app->deployments_ =
      std::make_unique<serving::DeploymentManager>(*app->deployment_specs_, *app->model_loader_);
  KILN_RETURN_IF_ERROR(app->deployments_->LoadSpecs());
  app->monitoring_ = std::make_unique<serving::Monitoring>();
  app->data_dir_ = data_dir;
  app->services_.reset(new Services{
      *app->tracking_, *app->registry_, *app->artifacts_, *app->modules_, *app->pipelines_,
      *app->scheduler_, *app->datasets_, *app->deployments_, *app->monitoring_, *app->uploads_});
  mlflow::AddExperimentRoutes(app->router_, *app->services_);
  mlflow::AddRunRoutes(app->router_, *app->services_);
  mlflow::AddRegistryRoutes(app->router_, *app->services_);
  mlflow::AddArtifactRoutes(app->router_, *app->services_);
  v1::AddRoutes(app->router_, *app->services_);
  v1::AddModuleRoutes(app->router_, *app->services_);
  v1::AddPipelineRoutes(app->router_, *app->services_);
  v1::AddSavedPipelineRoutes(app->router_, *app->services_);
  v1::AddPipelineEventRoutes(app->router_, *app->services_);
  v1::AddPipelineChangeRoutes(app->router_, *app->services_);
  v1::AddScheduleRoutes(app->router_, *app->services_);
  v1::AddDatasetRoutes(app->router_, *app->services_);
  v1::AddTableRoutes(app->router_, *app->services_);
  v1::AddBlobUploadRoutes(app->router_, *app->services_);
  v1::AddDeploymentRoutes(app->router_, *app->services_);
  app->serving_.reset(new serving_api::ServingContext{*app->deployments_, *app->monitoring_});
  serving_api::AddPredictRoutes(app->router_, *app->serving_);
  return app;
}

void App::SetTrackingUri(const std::string& uri) { pipelines_->SetTrackingUri(uri); }

void App::StartScheduler() { scheduler_->Start(); }

Status App::StartServing(int64_t drift_min_rows) {
  KILN_RETURN_IF_ERROR(monitoring_->OpenLog(data_dir_ + "/serving/requests"));
  deployments_->SetDefaultDriftMinRows(drift_min_rows);
  deployments_->StartLoading();
  return Status::Ok();
}

void App::ServeWebUi(const std::string& ui_dir) {
  router_.SetFallback(kPublic, WebUiHandler(ui_dir));
}

}  // namespace kiln::api
