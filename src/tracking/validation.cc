#include "tracking/validation.h"

#include "meta/tag.h"

namespace kiln::tracking {

using meta::CheckLength;
using meta::ValidateKey;

Status ValidateParam(const Param& param) {
  KILN_RETURN_IF_ERROR(ValidateKey("param", param.key));
  return CheckLength("Param value", param.value, kMaxParamValueLength);
}

Status ValidateTag(const Tag& tag) {
  KILN_RETURN_IF_ERROR(ValidateKey("tag", tag.key));
  return CheckLength("Tag value", tag.value, kMaxTagValueLength);
}

Status ValidateExperimentTag(const Tag& tag) {
  KILN_RETURN_IF_ERROR(ValidateKey("tag", tag.key));
  return CheckLength("Tag value", tag.value, kMaxExperimentTagValueLength);
}

Status ValidateMetric(const Metric& metric) {
  KILN_RETURN_IF_ERROR(ValidateKey("metric", metric.key));
  if (metric.timestamp >= 0) return Status::Ok();
  return InvalidArgument("Got invalid timestamp " + std::to_string(metric.timestamp) +
                         " for metric '" + metric.key +
                         "'. Timestamp must be a nonnegative long (64-bit integer)");
}

Status ValidateBatchSize(const Batch& batch) {
  auto over = [](const char* what, size_t count, size_t limit) {
    return InvalidArgument("A batch logging request can contain at most " + std::to_string(limit) +
                           " " + what + ". Got " + std::to_string(count) + " " + what + ".");
  };
  if (batch.metrics.size() > kMaxMetricsPerBatch)
    return over("metrics", batch.metrics.size(), kMaxMetricsPerBatch);
  if (batch.params.size() > kMaxParamsTagsPerBatch)
    return over("params", batch.params.size(), kMaxParamsTagsPerBatch);
  if (batch.tags.size() > kMaxParamsTagsPerBatch)
    return over("tags", batch.tags.size(), kMaxParamsTagsPerBatch);
  const size_t total = batch.metrics.size() + batch.params.size() + batch.tags.size();
  if (total > kMaxEntitiesPerBatch)
    return over("metrics, params, and tags in total", total, kMaxEntitiesPerBatch);
  return Status::Ok();
}

Status ValidateRunStatus(const std::string& status) {
  for (const char* known : {"RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"}) {
    if (status == known) return Status::Ok();
  }
  return InvalidArgument("Invalid value '" + status +
                         "' for parameter 'status': expected RUNNING, SCHEDULED, FINISHED, "
                         "FAILED or KILLED");
}

Status ValidateExperimentName(const std::string& name) {
  if (name.empty()) return InvalidArgument("Invalid experiment name: '' (must not be empty)");
  return Status::Ok();
}

}  // namespace kiln::tracking
