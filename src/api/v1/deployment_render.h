// Deployments as JSON, for /api/v1/deployments and the CLI.
#pragma once

#include <nlohmann/json.hpp>

#include "serving/deployment_manager.h"

namespace kiln::api::v1 {

// {"name", "model", "canary", "canary_weight", "created_ms", "updated_ms", "primary": slot,
//  "canary_status": slot or null, "endpoints": {...}}; a slot is {"ref", "serving_version",
// "target_version", "state", "error", "loaded_ms"}.
nlohmann::json RenderDeployment(const serving::DeploymentStatus& status);

}  // namespace kiln::api::v1
