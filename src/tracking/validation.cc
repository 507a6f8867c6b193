#include "tracking/validation.h"

#include <cctype>

namespace kiln::tracking {
namespace {

bool IsNameChar(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == ' ' || c == '/';
}

// MLflow treats names as possible file paths: "a/../b", "./a", "/a", "a/" and "a//b" would
// resolve to another name, so they are refused.
bool IsNormalPath(const std::string& key) {
  if (key.front() == '/' || key.back() == '/') return false;
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string::npos) end = key.size();
    std::string segment = key.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

Status CheckLength(const std::string& what, const std::string& value, size_t limit) {
  if (value.size() <= limit) return Status::Ok();
  return InvalidArgument(what + " '" + value.substr(0, 40) + "...' had length " +
                         std::to_string(value.size()) + ", which exceeded length limit of " +
                         std::to_string(limit));
}

}  // namespace

Status ValidateKey(const std::string& what, const std::string& key) {
  if (key.empty())
    return InvalidArgument("Missing value for required parameter '" + what + " key'");
  for (unsigned char c : key) {
    if (!IsNameChar(c)) {
      return InvalidArgument("Invalid " + what + " name: '" + key +
                             "'. Names may only contain alphanumerics, underscores (_), dashes "
                             "(-), periods (.), spaces ( ), and slashes (/).");
    }
  }
  if (!IsNormalPath(key)) {
    return InvalidArgument("Invalid " + what + " name: '" + key +
                           "'. Names may be treated as files in certain cases, and must not "
                           "resolve to other names when treated as such.");
  }
  return CheckLength(what + " key", key, kMaxKeyLength);
}

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

Status ValidateMaxResults(int64_t max_results, int64_t limit) {
  if (max_results >= 1 && max_results <= limit) return Status::Ok();
  return InvalidArgument("Invalid value " + std::to_string(max_results) +
                         " for parameter 'max_results' supplied. It must be at most " +
                         std::to_string(limit) + " and at least 1");
}

Status ValidateExperimentName(const std::string& name) {
  if (name.empty()) return InvalidArgument("Invalid experiment name: '' (must not be empty)");
  return Status::Ok();
}

}  // namespace kiln::tracking
