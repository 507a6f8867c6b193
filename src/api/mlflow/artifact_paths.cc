#include "api/mlflow/artifact_paths.h"

namespace kiln::api::mlflow {

Result<std::string> StorePathOfUri(const std::string& uri) {
  const std::string scheme = kArtifactScheme;
  if (uri.rfind(scheme, 0) != 0) {
    return InvalidArgument("artifact URI '" + uri + "' is not served by this server");
  }
  std::string path = uri.substr(scheme.size());
  while (!path.empty() && path.front() == '/') path.erase(path.begin());
  return path;
}

std::string JoinPath(const std::string& base, const std::string& relative) {
  if (base.empty()) return relative;
  if (relative.empty()) return base;
  return base + "/" + relative;
}

}  // namespace kiln::api::mlflow
