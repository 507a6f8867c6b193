// MLflow's artifact proxy: /api/2.0/mlflow-artifacts/artifacts[/<path>].
#include "api/error_mapping.h"
#include "api/mlflow/artifact_paths.h"
#include "api/mlflow/routes.h"
#include "common/percent.h"

namespace kiln::api::mlflow {

using nlohmann::json;

namespace {

constexpr const char* kPrefix = "/api/2.0/mlflow-artifacts/artifacts";

// Like MLflow, a path is also refused when it hides ".." behind further percent-encoding.
Status CheckPath(const std::string& path) {
  KILN_RETURN_IF_ERROR(artifacts::ValidateRelativePath(path));
  if (HasParentSegment(path)) return InvalidArgument("Invalid path '" + path + "'");
  return Status::Ok();
}

http::Response Download(artifacts::ArtifactStore& store, const std::string& path) {
  Status valid = CheckPath(path);
  if (!valid.ok()) return ErrorResponse(valid);
  Result<std::string> file = store.Locate(path);
  if (!file.ok()) return ErrorResponse(file.status());
  http::Response response;
  response.content_type = "application/octet-stream";
  response.file_path = *file;
  return response;
}

http::Response List(artifacts::ArtifactStore& store, const std::string& dir) {
  if (!dir.empty()) {
    Status valid = CheckPath(dir);
    if (!valid.ok()) return ErrorResponse(valid);
  }
  Result<std::vector<artifacts::FileEntry>> entries = store.List(dir);
  if (!entries.ok()) return ErrorResponse(entries.status());
  json files = json::array();
  for (const auto& e : *entries) {
    json file = {{"path", e.path.substr(e.path.rfind('/') + 1)}, {"is_dir", e.is_dir}};
    if (!e.is_dir) file["file_size"] = e.size;
    files.push_back(std::move(file));
  }
  return http::Response::Json(200, json{{"files", files}}.dump());
}

}  // namespace

void AddArtifactRoutes(http::Router& router, Services& services) {
  artifacts::ArtifactStore& store = services.artifacts;
  const std::string with_path = std::string(kPrefix) + "/{path...}";
  router.Add("PUT", with_path, kRunner, [&store](http::Request& request) {
    const std::string& path = request.path_params["path"];
    Status valid = CheckPath(path);
    if (!valid.ok()) return ErrorResponse(valid);
    Status put = store.Put(path, request.body);
    return put.ok() ? http::Response::Json(200, "{}") : ErrorResponse(put);
  });
  router.Add("GET", with_path, kViewer, [&store](http::Request& request) {
    const std::string& path = request.path_params["path"];
    // MLflow lists with GET .../artifacts?path=dir; a path ending in '/' lists too.
    if (path.empty() || path.back() == '/') {
      return List(store, path.empty() ? request.QueryParam("path").value_or("")
                                      : path.substr(0, path.size() - 1));
    }
    return Download(store, path);
  });
  router.Add("GET", kPrefix, kViewer, [&store](http::Request& request) {
    return List(store, request.QueryParam("path").value_or(""));
  });
  router.Add("DELETE", with_path, kOwner, [&store](http::Request& request) {
    const std::string& path = request.path_params["path"];
    Status valid = CheckPath(path);
    if (!valid.ok()) return ErrorResponse(valid);
    Status deleted = store.Delete(path);
    return deleted.ok() ? http::Response::Json(200, "{}") : ErrorResponse(deleted);
  });
}

}  // namespace kiln::api::mlflow
