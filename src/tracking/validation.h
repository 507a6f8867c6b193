// MLflow's input rules for tracking entities. Pure functions; errors are kInvalidArgument
// with a message naming the offending key or value, phrased like MLflow's.
#pragma once

#include <cstddef>
#include <string>

#include "common/status.h"
#include "tracking/entities.h"

namespace kiln::tracking {

inline constexpr size_t kMaxParamValueLength = 6000;
inline constexpr size_t kMaxTagValueLength = 5000;  // MLflow 2.12
inline constexpr size_t kMaxExperimentTagValueLength = 5000;
inline constexpr size_t kMaxMetricsPerBatch = 1000;
inline constexpr size_t kMaxParamsTagsPerBatch = 100;
inline constexpr size_t kMaxEntitiesPerBatch = 1000;

// Key rules (meta::ValidateKey) and value length limits.
Status ValidateParam(const Param& param);
Status ValidateTag(const Tag& tag);
Status ValidateExperimentTag(const Tag& tag);
// Key rules, and a timestamp >= 0.
Status ValidateMetric(const Metric& metric);
Status ValidateBatchSize(const Batch& batch);
// A status MLflow accepts: RUNNING, SCHEDULED, FINISHED, FAILED, KILLED.
Status ValidateRunStatus(const std::string& status);
// Non-empty experiment name.
Status ValidateExperimentName(const std::string& name);

}  // namespace kiln::tracking
