#include "api/app.h"

#include <filesystem>
#include <system_error>

#include "api/mlflow/artifact_paths.h"
#include "api/mlflow/routes.h"
#include "api/v1/routes.h"

namespace kiln::api {

Result<std::unique_ptr<App>> App::Open(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  // The folder is the user's choice, so failing to create it is their mistake to fix.
  if (ec) return InvalidArgument("cannot create data folder '" + data_dir + "': " + ec.message());
  std::unique_ptr<App> app(new App());
  KILN_ASSIGN_OR_RETURN(app->store_, store::OpenSqliteStore(data_dir + "/kiln.db"));
  KILN_ASSIGN_OR_RETURN(app->artifacts_,
                        artifacts::OpenLocalArtifactStore(data_dir + "/artifacts"));
  app->tracking_ =
      std::make_unique<tracking::TrackingService>(*app->store_, mlflow::kArtifactScheme);
  KILN_RETURN_IF_ERROR(app->tracking_->Init());
  app->registry_ = std::make_unique<registry::RegistryService>(*app->store_);
  app->services_.reset(new Services{*app->tracking_, *app->registry_, *app->artifacts_});
  mlflow::AddExperimentRoutes(app->router_, *app->services_);
  mlflow::AddRunRoutes(app->router_, *app->services_);
  mlflow::AddRegistryRoutes(app->router_, *app->services_);
  mlflow::AddArtifactRoutes(app->router_, *app->services_);
  v1::AddRoutes(app->router_, *app->services_);
  return app;
}

}  // namespace kiln::api
