// TrackingService: run lifecycle (create, get, update, delete, restore).
#include "common/ids.h"
#include "tracking/run_names.h"
#include "tracking/run_rows.h"
#include "tracking/tracking_service.h"
#include "tracking/validation.h"

namespace kiln::tracking {
namespace {

// The run name wins over a conflicting mlflow.runName tag only when both are given and
// differ, which MLflow refuses.
Result<std::string> ResolveRunName(const CreateRunRequest& request) {
  for (const Tag& tag : request.tags) {
    if (tag.key != kRunNameTag) continue;
    if (!request.run_name.empty() && request.run_name != tag.value) {
      return InvalidArgument(
          "Both 'run_name' argument and 'mlflow.runName' tag are specified, "
          "but with different values (run_name='" +
          request.run_name + "', mlflow.runName='" + tag.value + "').");
    }
    return tag.value;
  }
  return request.run_name.empty() ? GenerateRunName() : request.run_name;
}

// A run id: 32 lowercase hex characters like NewHexId's, but the first 12 are the creation time
// (milliseconds since the Unix epoch) and the other 20 random (80 bits). Ids made later sort
// later, so the indexes keyed by run id (runs, tags, params, metrics, lineage) grow at their end
// instead of on random pages a fresh process must read and rewrite.
std::string NewRunId() {
  static const char kHex[] = "0123456789abcdef";
  std::string id = NewHexId();
  uint64_t ms = static_cast<uint64_t>(NowMillis());
  for (int i = 11; i >= 0; --i, ms >>= 4) id[i] = kHex[ms & 15];
  return id;
}

Status UpsertTag(store::Session& s, const std::string& run_id, const Tag& tag) {
  return s.Exec(
      "INSERT INTO tags VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET "
      "value = excluded.value",
      {run_id, tag.key, tag.value});
}

}  // namespace

Result<Run> TrackingService::CreateRun(const CreateRunRequest& request) {
  for (const Tag& tag : request.tags) KILN_RETURN_IF_ERROR(ValidateTag(tag));
  KILN_ASSIGN_OR_RETURN(std::string run_name, ResolveRunName(request));
  Run run;
  KILN_RETURN_IF_ERROR(store_.Write([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Experiment experiment, LoadExperiment(s, request.experiment_id));
    if (experiment.lifecycle_stage != kActive) {
      return FailedPrecondition("The experiment " + experiment.experiment_id +
                                " must be in the 'active' state. Current state is deleted.");
    }
    const std::string run_id = NewRunId();
    const std::string artifact_uri = experiment.artifact_location + "/" + run_id + "/artifacts";
    KILN_RETURN_IF_ERROR(s.Exec(
        "INSERT INTO runs (run_id, name, experiment_id, user_id, status, start_time, artifact_uri, "
        "lifecycle_stage) VALUES (?, ?, ?, ?, 'RUNNING', ?, ?, 'active')",
        {run_id, run_name, std::stoll(experiment.experiment_id), request.user_id,
         request.start_time.value_or(NowMillis()), artifact_uri}));
    for (const Tag& tag : request.tags) KILN_RETURN_IF_ERROR(UpsertTag(s, run_id, tag));
    KILN_RETURN_IF_ERROR(UpsertTag(s, run_id, {kRunNameTag, run_name}));
    KILN_ASSIGN_OR_RETURN(run, LoadRun(s, run_id));
    return Status::Ok();
  }));
  return run;
}

Result<Run> TrackingService::GetRun(const std::string& run_id) {
  Run run;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(run, LoadRun(s, run_id));
    return Status::Ok();
  }));
  return run;
}

Result<RunInfo> TrackingService::UpdateRun(const UpdateRunRequest& request) {
  if (request.status) KILN_RETURN_IF_ERROR(ValidateRunStatus(*request.status));
  RunInfo info;
  KILN_RETURN_IF_ERROR(store_.Write([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(info, LoadRunInfo(s, request.run_id));
    KILN_RETURN_IF_ERROR(RequireActiveRun(info));
    if (request.status) info.status = *request.status;
    if (request.end_time) info.end_time = *request.end_time;
    if (request.run_name && !request.run_name->empty()) {
      info.run_name = *request.run_name;
      KILN_RETURN_IF_ERROR(UpsertTag(s, info.run_id, {kRunNameTag, info.run_name}));
    }
    return s.Exec("UPDATE runs SET status = ?, end_time = ?, name = ? WHERE run_id = ?",
                  {info.status, store::NullableInt(info.end_time), info.run_name, info.run_id});
  }));
  return info;
}

Status TrackingService::DeleteRun(const std::string& run_id) {
  return store_.Write([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(RunInfo info, LoadRunInfo(s, run_id));
    return s.Exec("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_id = ?",
                  {NowMillis(), run_id});
  });
}

Status TrackingService::RestoreRun(const std::string& run_id) {
  return store_.Write([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(RunInfo info, LoadRunInfo(s, run_id));
    return s.Exec(
        "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_id = ?",
        {run_id});
  });
}

}  // namespace kiln::tracking
