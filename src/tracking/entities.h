// Tracking entities: MLflow's experiments, runs, params, metrics, tags and dataset inputs.
// Plain values; no behaviour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meta/tag.h"

namespace kiln::tracking {

using Tag = meta::Tag;
using Param = Tag;

struct Metric {
  std::string key;
  double value = 0;  // may be NaN or +-Infinity
  int64_t timestamp = 0;
  int64_t step = 0;
};

inline constexpr const char* kActive = "active";
inline constexpr const char* kDeleted = "deleted";
inline constexpr const char* kRunNameTag = "mlflow.runName";

struct Experiment {
  std::string experiment_id;
  std::string name;
  std::string artifact_location;
  std::string lifecycle_stage;
  int64_t creation_time = 0;
  int64_t last_update_time = 0;
  std::vector<Tag> tags;
};

struct RunInfo {
  std::string run_id;
  std::string run_name;
  std::string experiment_id;
  std::string user_id;
  std::string status;  // RUNNING, SCHEDULED, FINISHED, FAILED, KILLED
  int64_t start_time = 0;
  std::optional<int64_t> end_time;
  std::string artifact_uri;
  std::string lifecycle_stage;
};

struct Dataset {
  std::string name;
  std::string digest;
  std::string source_type;
  std::string source;
  std::string schema;
  std::string profile;
};

struct DatasetInput {
  std::vector<Tag> tags;
  Dataset dataset;
};

struct Run {
  RunInfo info;
  std::vector<Metric> metrics;  // the latest value of each metric
  std::vector<Param> params;
  std::vector<Tag> tags;
  std::vector<DatasetInput> inputs;
};

// What one log-batch call writes.
struct Batch {
  std::vector<Metric> metrics;
  std::vector<Param> params;
  std::vector<Tag> tags;
};

enum class ViewType { kActiveOnly, kDeletedOnly, kAll };

}  // namespace kiln::tracking
