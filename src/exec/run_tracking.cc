#include "exec/run_tracking.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace kiln::exec {
namespace {

// "mlflow-artifacts:/1/abc/artifacts" -> "1/abc/artifacts": where the run's files live in the
// store's path tree.
std::string ArtifactDirOf(const tracking::RunInfo& run) {
  return run.experiment_id + "/" + run.run_id + "/artifacts";
}

}  // namespace

Result<std::string> EnsureExperiment(tracking::TrackingService& tracking, const std::string& name) {
  Result<tracking::Experiment> found = tracking.GetExperimentByName(name);
  if (found.ok()) return found->experiment_id;
  if (found.status().code() != StatusCode::kNotFound) return found.status();
  Result<std::string> created = tracking.CreateExperiment(name, "", {});
  // Another run may have created it in between.
  if (!created.ok() && created.status().code() == StatusCode::kAlreadyExists) {
    KILN_ASSIGN_OR_RETURN(tracking::Experiment again, tracking.GetExperimentByName(name));
    return again.experiment_id;
  }
  return created;
}

Result<tracking::RunInfo> StartTrackedRun(
    tracking::TrackingService& tracking, const std::string& experiment_id,
    const std::string& run_name, const std::vector<tracking::Tag>& tags,
    const std::map<std::string, pipeline::ParamValue>& params) {
  tracking::CreateRunRequest request;
  request.experiment_id = experiment_id;
  request.run_name = run_name;
  request.user_id = "kiln";
  request.tags = tags;
  KILN_ASSIGN_OR_RETURN(tracking::Run run, tracking.CreateRun(request));
  if (!params.empty()) {
    tracking::Batch batch;
    for (const auto& [name, value] : params) batch.params.push_back({name, ToString(value)});
    KILN_RETURN_IF_ERROR(tracking.LogBatch(run.info.run_id, batch));
  }
  return run.info;
}

Status EndTrackedRun(tracking::TrackingService& tracking, const std::string& run_id,
                     pipeline::RunState state, int64_t end_ms) {
  tracking::UpdateRunRequest request;
  request.run_id = run_id;
  request.end_time = end_ms;
  switch (state) {
    case pipeline::RunState::kSucceeded:
    case pipeline::RunState::kCached:
      request.status = "FINISHED";
      break;
    case pipeline::RunState::kCancelled:
      request.status = "KILLED";
      break;
    default:
      request.status = "FAILED";
  }
  return tracking.UpdateRun(request).status();
}

Status LogDatasetInputs(tracking::TrackingService& tracking, const std::string& run_id,
                        const std::map<std::string, BoundInput>& inputs) {
  std::vector<tracking::DatasetInput> datasets;
  for (const auto& [name, input] : inputs) {
    if (input.source.rfind("dataset:", 0) != 0) continue;
    tracking::DatasetInput logged;
    const std::string ref = input.source.substr(8);
    logged.dataset.name = ref.substr(0, ref.rfind('@'));
    logged.dataset.digest = input.digest;
    logged.dataset.source_type = "kiln";
    logged.dataset.source = input.source;
    logged.tags = {{"mlflow.data.context", name}};
    datasets.push_back(std::move(logged));
  }
  if (datasets.empty()) return Status::Ok();
  return tracking.LogInputs(run_id, datasets);
}

Status UploadStepLog(artifacts::ArtifactStore& store, const tracking::RunInfo& run,
                     const std::string& step, const std::string& log_file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(log_file, ec)) return Status::Ok();
  std::ifstream in(log_file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return store.Put(ArtifactDirOf(run) + "/logs/" + step + ".log", bytes,
                   artifacts::Sync::kCrashSafe);
}

}  // namespace kiln::exec
