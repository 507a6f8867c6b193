// The tracking side of a pipeline run: the pipeline run is a parent MLflow run in an experiment
// named after the pipeline; each step is a child run (tag mlflow.parentRunId) with its params,
// metrics, status, timing and log (artifact logs/<step>.log).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "artifacts/artifact_store.h"
#include "common/status.h"
#include "exec/step_inputs.h"
#include "pipeline/param_value.h"
#include "pipeline/run_records.h"
#include "tracking/tracking_service.h"

namespace kiln::exec {

// The experiment named `name`, created when missing (also when restored from deletion fails,
// the error is returned). Errors: as TrackingService.
Result<std::string> EnsureExperiment(tracking::TrackingService& tracking, const std::string& name);

// Creates a RUNNING run with `tags` and `params` (rendered as text). Errors: as TrackingService.
Result<tracking::RunInfo> StartTrackedRun(
    tracking::TrackingService& tracking, const std::string& experiment_id,
    const std::string& run_name, const std::vector<tracking::Tag>& tags,
    const std::map<std::string, pipeline::ParamValue>& params);

// Ends a run: FINISHED for SUCCEEDED and CACHED, KILLED for CANCELLED, FAILED otherwise.
Status EndTrackedRun(tracking::TrackingService& tracking, const std::string& run_id,
                     pipeline::RunState state, int64_t end_ms);

// Copies the log file (if any) into the run's artifacts as logs/<step>.log.
// Logs the dataset inputs among `inputs` as MLflow dataset inputs of run `run_id` (name,
// digest, source "dataset:NAME@VERSION", tag mlflow.data.context = the input's name).
// Errors: those of TrackingService::LogInputs.
Status LogDatasetInputs(tracking::TrackingService& tracking, const std::string& run_id,
                        const std::map<std::string, BoundInput>& inputs);

Status UploadStepLog(artifacts::ArtifactStore& store, const tracking::RunInfo& run,
                     const std::string& step, const std::string& log_file);

}  // namespace kiln::exec
