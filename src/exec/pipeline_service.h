// PipelineService: starts pipeline runs and sweeps in the background, tracks the live ones
// and their events, cancels them. Used in-process by `kiln run` and by the server's routes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "artifacts/artifact_store.h"
#include "common/mutex.h"
#include "datasets/dataset_registry.h"
#include "exec/builtin_launch.h"
#include "exec/executor.h"
#include "exec/local_executor.h"
#include "exec/pipeline_run.h"
#include "exec/planning_gate.h"
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
  // Added to every step's environment: the stores its builtins open (KILN_STORE,
  // KILN_ARTIFACTS), so a step works with the server's stores, not the defaults.
  std::map<std::string, std::string> step_env;
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
  // Whether network clients (SubmitRequest::peer set) may run commands they chose; when false
  // their pipelines must pass CheckNoClientCommands and their module publishes
  // CheckPublishableRemotely. In-process callers (no peer) always may.
  bool allow_remote_commands = true;
  // Folders a network client's pipeline folder (base_dir) must lie in, besides
  // <data_dir>/pipelines, which always counts. In-process callers may use any folder.
  std::vector<std::string> pipeline_roots;
};

// Specs larger than this (or sweeps) from network clients pass a PlanningGate (see
// PipelineService::Submit): parsing and planning the largest spec the limits let through (50,000
// YAML nodes: ~6,000 steps) takes ~0.3 s of CPU, on the server thread that answers.
inline constexpr size_t kLargeSpecBytes = 64 * 1024;

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
  // The stores must outlive the service. Steps run on `executor` (owned; null: a local executor
  // with options.executor).
  PipelineService(store::MetaStore& store, tracking::TrackingService& tracking,
                  artifacts::ArtifactStore& artifacts, PipelineServiceOptions options,
                  std::unique_ptr<Executor> executor = nullptr);
  // Cancels every live run and waits for them to end.
  ~PipelineService();

  // Validates the whole submission (every sweep point), records the pipeline's definition
  // (see definitions()) and the runs, and starts them in the background. An empty base_dir
  // means the stored pipeline's, or <data_dir>/pipelines/<name> for a new one. Errors:
  // kInvalidArgument as PlanSubmission (nothing is recorded); for a network client
  // (request.peer), kPermissionDenied when base_dir lies outside the pipeline roots or, unless
  // allow_remote_commands, a step runs a command the client chose (CheckNoClientCommands);
  // kResourceExhausted when it is large (over kLargeSpecBytes, or a sweep) and the PlanningGate
  // does not admit it (another one is planning, or one just did); kInternal.
  Result<Submission> Submit(const SubmitRequest& request);
  // As Submit for a pipeline whose spec and base_dir come from the store (a schedule's), so
  // base_dir is not checked against the pipeline roots; the commands still are.
  Result<Submission> SubmitStored(const SubmitRequest& request);

  // Checks a pipeline file (request's spec_text, file and base_dir; its overrides and sweep
  // options are ignored) exactly as Submit would plan it, and runs nothing. An empty base_dir
  // means the stored pipeline's, or <data_dir>/pipelines/<name> for a new one. Errors:
  // kInvalidArgument as PlanSubmission, or a name with empty, "." or ".." segments when the
  // default folder is needed; kPermissionDenied and kResourceExhausted as Submit for a network
  // client; kInternal.
  Result<ValidatedPipeline> Validate(const SubmitRequest& request);
  // Validates and stores a pipeline's definition under `name` without running it; creates the
  // default base_dir. Errors: as Validate, and kInvalidArgument when the spec's name is not
  // `name`; nothing is stored on error.
  Result<pipeline::PipelineDefinition> SavePipeline(const std::string& name, SubmitRequest request);
  // Submits the stored pipeline `name` (its spec, file and base_dir) with the overrides, run
  // options and peer of `options`. Errors: kNotFound for an unknown pipeline, then as
  // SubmitStored.
  Result<Submission> SubmitSaved(const std::string& name, SubmitRequest options);

  // Re-runs the steps of `run_id` that did not succeed, in the background; `peer` is who asks
  // (see SubmitRequest::peer). Errors: kNotFound, kFailedPrecondition (still running),
  // kInvalidArgument (its file no longer resolves), kPermissionDenied as SubmitStored.
  Result<Submission> Resume(const std::string& run_id, bool use_cache,
                            const std::string& peer = "");

  // OK when `peer` may publish the module of `manifest_text` (a module.yaml): always for an
  // in-process caller or with allow_remote_commands, else only builtin modules. A manifest that
  // does not parse passes (publishing reports it). Errors: kPermissionDenied as
  // CheckPublishableRemotely. Thread-safe.
  Status CheckModulePublish(const std::string& manifest_text, const std::string& peer) const;

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
  // True when `peer` is a network client and the options forbid it commands.
  bool Restricted(const std::string& peer) const;
  // A ticket of large_plans_ for a large request of a network client (see Submit), or nothing
  // for others. Errors: kResourceExhausted when the gate does not admit it.
  Result<std::optional<PlanningGate::Ticket>> AdmitPlanning(const SubmitRequest& request);
  // Submit and Validate once admitted.
  Result<Submission> StartPlanned(const SubmitRequest& request);
  Result<ValidatedPipeline> ValidateAdmitted(const SubmitRequest& request);
  // Fills an empty request.base_dir (DefaultBaseDir of the spec's name) and checks a network
  // client's against the pipeline roots.
  Status ChooseBaseDir(SubmitRequest& request);
  // CheckNoClientCommands over every point of `plan` when Restricted(request.peer).
  Status CheckCommands(const SubmitRequest& request, const Plan& plan) const;
  // Stores the definition of a planned submission.
  Status RememberDefinition(const SubmitRequest& request, const Plan& plan);
  // The folder a saved pipeline without a base_dir gets.
  Result<std::string> DefaultBaseDir(const std::string& name);
  // Creates `base_dir` when it is missing and lies in <data_dir>/pipelines (the folder a
  // pipeline without a base_dir gets), so its steps have a working folder. Errors: kInternal
  // when it cannot be created.
  Status EnsurePipelineFolder(const std::string& base_dir) const;
  Result<Submission> Start(std::vector<std::unique_ptr<PipelineRun>> runs, int64_t parallel,
                           Submission submission);
  void Drive(std::shared_ptr<Batch> batch);
  void RunOne(const std::shared_ptr<LiveRun>& live);
  void Record(const std::shared_ptr<LiveRun>& live, const RunEvent& event);
  std::shared_ptr<LiveRun> FindLive(const std::string& run_id) EXCLUDES(mu_);
  // Joins driver threads that have finished; forgets old finished runs.
  void ReapThreads() EXCLUDES(mu_);
  // Drops finished runs beyond kMaxRememberedRuns.
  void ForgetOldRuns() REQUIRES(mu_);

  store::MetaStore& store_;
  tracking::TrackingService& tracking_;
  artifacts::ArtifactStore& artifacts_;
  PipelineServiceOptions options_;
  std::vector<std::string> pipeline_roots_;  // options_.pipeline_roots and <data_dir>/pipelines
  std::unique_ptr<Executor> executor_;
  RunnerServices runner_;
  pipeline::RunRecords records_;
  pipeline::PipelineRecords definitions_;

  PlanningGate large_plans_;  // network clients' large requests

  Mutex mu_;
  std::condition_variable idle_;
  std::map<std::string, std::shared_ptr<LiveRun>> live_ GUARDED_BY(mu_);
  std::vector<std::thread> drivers_ GUARDED_BY(mu_);
  // Drivers done, waiting to be joined.
  std::vector<std::thread::id> finished_drivers_ GUARDED_BY(mu_);
  size_t active_batches_ GUARDED_BY(mu_) = 0;
};

}  // namespace kiln::exec
