// Mapping between MLflow artifact URIs and paths in the ArtifactStore.
#pragma once

#include <string>

#include "common/status.h"

namespace kiln::api::mlflow {

inline constexpr const char* kArtifactScheme = "mlflow-artifacts:";

// "mlflow-artifacts:/1/abc/artifacts" -> "1/abc/artifacts". Errors: kInvalidArgument when the
// URI is not served by this server's artifact proxy.
Result<std::string> StorePathOfUri(const std::string& uri);
// `base` + "/" + `relative`, dropping empty parts.
std::string JoinPath(const std::string& base, const std::string& relative);

}  // namespace kiln::api::mlflow
