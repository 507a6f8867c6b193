// TrackingService: MLflow's tracking semantics over a MetaStore.
// Thread-safe (all state lives in the store). Errors: kInvalidArgument for bad input
// (naming the field or value), kNotFound for unknown ids, kAlreadyExists for taken names,
// kFailedPrecondition for writes to deleted runs or experiments, kInternal for storage.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/page.h"
#include "store/meta_store.h"
#include "tracking/entities.h"

namespace kiln::tracking {

struct ExperimentQuery : SearchRequest {
  ViewType view = ViewType::kActiveOnly;
};

struct RunQuery : SearchRequest {
  std::vector<std::string> experiment_ids;  // empty: every experiment
  ViewType view = ViewType::kActiveOnly;
};

struct CreateRunRequest {
  std::string experiment_id = "0";
  std::string user_id;
  std::string run_name;  // generated when empty (and no mlflow.runName tag)
  std::optional<int64_t> start_time;
  std::vector<Tag> tags;
};

struct UpdateRunRequest {
  std::string run_id;
  std::optional<std::string> status;
  std::optional<int64_t> end_time;
  std::optional<std::string> run_name;
};

class TrackingService {
 public:
  // `store` must outlive the service. `artifact_root` prefixes artifact URIs, e.g.
  // "mlflow-artifacts:" gives "mlflow-artifacts:/<experiment>/<run>/artifacts".
  TrackingService(store::MetaStore& store, std::string artifact_root);

  // Creates the "Default" experiment (id 0) when missing.
  Status Init();

  Result<std::string> CreateExperiment(const std::string& name,
                                       const std::string& artifact_location,
                                       const std::vector<Tag>& tags);
  Result<Experiment> GetExperiment(const std::string& experiment_id);
  Result<Experiment> GetExperimentByName(const std::string& name);
  Result<Page<Experiment>> SearchExperiments(const ExperimentQuery& query);
  Status RenameExperiment(const std::string& experiment_id, const std::string& new_name);
  Status DeleteExperiment(const std::string& experiment_id);
  Status RestoreExperiment(const std::string& experiment_id);
  Status SetExperimentTag(const std::string& experiment_id, const Tag& tag);
  Status DeleteExperimentTag(const std::string& experiment_id, const std::string& key);

  Result<Run> CreateRun(const CreateRunRequest& request);
  Result<Run> GetRun(const std::string& run_id);
  Result<RunInfo> UpdateRun(const UpdateRunRequest& request);
  Status DeleteRun(const std::string& run_id);
  Status RestoreRun(const std::string& run_id);
  Result<Page<Run>> SearchRuns(const RunQuery& query);

  // Logs metrics, params and tags atomically, with MLflow's limits and param immutability.
  Status LogBatch(const std::string& run_id, const Batch& batch);
  Status DeleteTag(const std::string& run_id, const std::string& key);
  Status LogInputs(const std::string& run_id, const std::vector<DatasetInput>& inputs);
  // Appends `model_json` (validated JSON object text) to tag mlflow.log-model.history.
  Status LogModel(const std::string& run_id, const std::string& model_json);
  // Copies into run `run_id` the results of run `source_run_id`, whose work it reuses (a cached
  // pipeline step): the source's params and its tags outside the `mlflow.` namespace (keys
  // `run_id` already has keep their values), and each latest metric, also as a one-point history
  // (the full histories stay with the source). Meant for a run that has logged no metrics yet.
  // Errors: kNotFound for either run, kFailedPrecondition unless `run_id` is active.
  Status CopyRunResults(const std::string& run_id, const std::string& source_run_id);
  // Every value of one metric, ordered by (step, timestamp).
  Result<Page<Metric>> GetMetricHistory(const std::string& run_id, const std::string& key,
                                        int64_t max_results, const std::string& page_token);

 private:
  store::MetaStore& store_;
  std::string artifact_root_;
};

}  // namespace kiln::tracking
