// JSON rendering of domain entities in MLflow's wire shapes (protobuf JSON with field names
// as in service.proto; int64 as numbers; non-finite doubles as "NaN"/"Infinity" strings).
#pragma once

#include <nlohmann/json.hpp>

#include "registry/entities.h"
#include "tracking/entities.h"

namespace kiln::api {

nlohmann::json RenderDouble(double value);
nlohmann::json RenderTags(const std::vector<tracking::Tag>& tags);
nlohmann::json RenderMetric(const tracking::Metric& metric);
nlohmann::json RenderExperiment(const tracking::Experiment& experiment);
nlohmann::json RenderRunInfo(const tracking::RunInfo& info);
nlohmann::json RenderRun(const tracking::Run& run);
nlohmann::json RenderModelVersion(const registry::ModelVersion& version);
nlohmann::json RenderRegisteredModel(const registry::RegisteredModel& model);

}  // namespace kiln::api
