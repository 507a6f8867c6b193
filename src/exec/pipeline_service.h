// PipelineService: starts pipeline runs and sweeps in the background, tracks the live ones
// and their events, cancels them. Used in-process by `kiln run` and by the server's routes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "artifacts/artifact_store.h"
#include "datasets/dataset_registry.h"
#include "exec/builtin_launch.h"
#include "exec/executor.h"
#include "exec/local_executor.h"
#include "exec/pipeline_run.h"
#include "exec/run_planning.h"
#include "pipeline/module_manifest.h"
#include "pipeline/pipeline_records.h"
#include "pipeline/run_records.h"
#include "store/meta_store.h"
#include "tracking/tracking_service.h"

namespace kiln::exec {

struct PipelineServiceOptions {
  std::string data_dir;      // step folders go under <data_dir>/work
  std::string tracking_uri;  // MLFLOW_TRACKING_URI for steps; "" when no server listens
  LocalExecutorOptions executor;
  // Runs builtin steps: argv prefix taking the request file (default: this executable's
  // `builtin-step` command).
  std::vector<std::string> builtin_command = DefaultBuiltinCommand();
  // Where dataset:NAME@VERSION inputs are looked up; not owned, outlives the service. Null:
  // such inputs are refused.
  datasets::DatasetRegistry* datasets = nullptr;
  // Published modules to add below the folder layers; may be empty. Its error fails the
  // submission (kInternal: the store or the module cache cannot be read).
  std::function<Result<std::vector<pipeline::ModuleManifest>>()> published_modules;
  // Called for every event of every run, on the run's thread; must be thread-safe.
  std::function<void(const std::string& run_id, const RunEvent&)> on_event;
};

// What Submit started.
struct Submission {
  std::string sweep_id;  // empty unless a sweep
  std::string pipeline_name;
  std::vector<std::string> run_ids;       // in point order
  std::vector<std::string> descriptions;  // parallel to run_ids
};

// A pipeline checked as planning a run would check it, without running it.
struct ValidatedPipeline {
  std::string name;
  std::string base_dir;            // as given, or the default (see PipelineService::Validate)
  std::vector<std::string> steps;  // step names in plan order
};

// New events of one run, as WaitEvents returns them.
struct EventBatch {
  std::vector<RunEvent> events;
  size_t next = 0;        // pass as `from` next time
  bool finished = false;  // the run ended; no more events come
  bool live = true;       // false: this service does not run it (ended long ago, or elsewhere)
};

class PipelineService {
 public:
  // The stores must outlive the service. Starts a local executor.
  PipelineService(store::MetaStore& store, tracking::TrackingService& tracking,
                  artifacts::ArtifactStore& artifacts, PipelineServiceOptions options);
  // Cancels every live run and waits for them to end.
  ~PipelineService();

  // Validates the whole submission (every sweep point), records the pipeline's definition
  // (see definitions()) and the runs, and starts them in the background. Errors:
  // kInvalidArgument as PlanSubmission (nothing is recorded), kInternal.
  Result<Submission> Submit(const SubmitRequest& request);

  // Checks a pipeline file (request's spec_text, file and base_dir; its overrides and sweep
  // options are ignored) exactly as Submit would plan it, and runs nothing. An empty base_dir
  // means the stored pipeline's, or <data_dir>/pipelines/<name> for a new one. Errors:
  // kInvalidArgument as PlanSubmission, or a name with empty, "." or ".." segments when the
  // default folder is needed; kInternal.
  Result<ValidatedPipeline> Validate(const SubmitRequest& request);
  // Validates and stores a pipeline's definition under `name` without running it; creates the
  // default base_dir. Errors: as Validate, and kInvalidArgument when the spec's name is not
  // `name`; nothing is stored on error.
  Result<pipeline::PipelineDefinition> SavePipeline(const std::string& name, SubmitRequest request);
  // Submits the stored pipeline `name` (its spec, file and base_dir) with the overrides and
  // run options of `options`. Errors: kNotFound for an unknown pipeline, then as Submit.
  Result<Submission> SubmitSaved(const std::string& name, SubmitRequest options);

  // Re-runs the steps of `run_id` that did not succeed, in the background. Errors: kNotFound,
  // kFailedPrecondition (still running), kInvalidArgument (its file no longer resolves).
  Result<Submission> Resume(const std::string& run_id, bool use_cache);

  // Cancels a live run. Errors: kNotFound (unknown), kFailedPrecondition (already finished).
  Status Cancel(const std::string& run_id);
  // Cancels every live run.
  void CancelAll();

  // Events of run `run_id` from index `from`, waiting up to `timeout` for one to arrive. A run
  // that is not live (finished before this process started) gives finished = true at once.
  EventBatch WaitEvents(const std::string& run_id, size_t from, std::chrono::milliseconds timeout);

  // Blocks until no run is live.
  void WaitIdle();

  pipeline::RunRecords& records() { return records_; }
  // The stored pipeline definitions (one per name, the latest submitted or saved).
  pipeline::PipelineRecords& definitions() { return definitions_; }

  // Sets MLFLOW_TRACKING_URI for steps started from now on; call before submitting runs.
  void SetTrackingUri(const std::string& uri) { runner_.tracking_uri = uri; }

 private:
  struct LiveRun;
  struct Batch;

  Result<std::unique_ptr<pipeline::ModuleLibrary>> OpenLibrary(const std::string& base_dir);
  // Stores the definition of a planned submission.
  Status RememberDefinition(const SubmitRequest& request, const Plan& plan);
  // The folder a saved pipeline without a base_dir gets.
  Result<std::string> DefaultBaseDir(const std::string& name);
  Result<Submission> Start(std::vector<std::unique_ptr<PipelineRun>> runs, int64_t parallel,
                           Submission submission);
  void Drive(std::shared_ptr<Batch> batch);
  void RunOne(const std::shared_ptr<LiveRun>& live);
  void Record(const std::shared_ptr<LiveRun>& live, const RunEvent& event);
  std::shared_ptr<LiveRun> FindLive(const std::string& run_id);
  // Joins driver threads that have finished; forgets old finished runs. Takes mu_.
  void ReapThreads();
  // Drops finished runs beyond kMaxRememberedRuns. Needs mu_ held.
  void ForgetOldRuns();

  store::MetaStore& store_;
  tracking::TrackingService& tracking_;
  artifacts::ArtifactStore& artifacts_;
  PipelineServiceOptions options_;
  std::unique_ptr<Executor> executor_;
  RunnerServices runner_;
  pipeline::RunRecords records_;
  pipeline::PipelineRecords definitions_;

  std::mutex mu_;  // guards everything below
  std::condition_variable idle_;
  std::map<std::string, std::shared_ptr<LiveRun>> live_;
  std::vector<std::thread> drivers_;
  std::vector<std::thread::id> finished_drivers_;  // drivers done, waiting to be joined
  size_t active_batches_ = 0;
};

}  // namespace kiln::exec
