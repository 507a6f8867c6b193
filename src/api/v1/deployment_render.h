// Deployments as JSON, for /api/v1/deployments and the CLI.
#pragma once

#include <nlohmann/json.hpp>

#include "serving/deployment_manager.h"
#include "serving/request_log.h"

namespace kiln::api::v1 {

// {"name", "model", "canary", "canary_weight", "strict_inputs", "drift_min_rows" (in effect),
//  "created_ms", "updated_ms", "primary": slot, "canary_status": slot or null, "endpoints":
//  {...}}; a slot is {"ref", "serving_version", "target_version", "state", "error",
//  "loaded_ms", "drift"}, drift being null (no profile, or nothing loaded) or per feature
//  {"feature", "level", "psi" (null without a level), "live_rows", "min_rows",
//  "unseen_values"} of the version the slot serves.
nlohmann::json RenderDeployment(const serving::DeploymentStatus& status);

// Live quality per version: [{"model", "version", "requests", "rows", and "accuracy" and
// "correct" (classifiers) or "rmse" and "mae" (regressors)}].
nlohmann::json RenderQuality(const std::vector<serving::VersionQuality>& quality);

// A logged request: {"request_id", "time_ms", "model", "version", "latency_ms", "inputs",
// "outputs"} (inputs and outputs as JSON, not text).
nlohmann::json RenderLoggedRequest(const serving::LoggedRequest& request);

}  // namespace kiln::api::v1
