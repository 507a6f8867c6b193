// One execution of a resolved pipeline: steps become processes on an Executor, independent
// steps run in parallel, results are stored by content, cached steps are skipped, and every
// state change is recorded (RunRecords, tracking runs, lineage) as it happens.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/artifact_store.h"
#include "common/mutex.h"
#include "datasets/dataset_registry.h"
#include "exec/executor.h"
#include "exec/step_inputs.h"
#include "pipeline/resolve.h"
#include "pipeline/run_records.h"
#include "store/meta_store.h"
#include "tracking/tracking_service.h"

namespace kiln::exec {

// What a pipeline run works with; everything is owned by the caller and outlives the run.
struct RunnerServices {
  store::MetaStore& store;
  tracking::TrackingService& tracking;
  artifacts::ArtifactStore& artifacts;
  Executor& executor;
  std::string data_dir;      // work/ (step folders) and trees/ (materialized folders) go here
  std::string tracking_uri;  // given to steps as MLFLOW_TRACKING_URI; may be empty
  std::map<std::string, std::string> step_env;    // added to every step's environment
  datasets::DatasetRegistry* datasets = nullptr;  // for dataset inputs; may be null
  // argv prefix that runs a builtin step given its request file (see exec/builtin_launch.h).
  std::vector<std::string> builtin_command;
};

struct RunRequest {
  pipeline::ResolvedPipeline pipeline;
  std::string spec_text;  // the pipeline file's text, stored for resume
  std::string file;       // the pipeline file's name, for display
  std::string base_dir;   // absolute; relative file bindings and inline commands start here
  std::vector<std::string> overrides;
  bool use_cache = true;
  std::string sweep_id;
  std::string schedule_id;
};

// A change a watcher (terminal view, event stream) may show.
struct RunEvent {
  enum class Kind { kStepStarted, kStepRetrying, kStepFinished, kRunFinished };
  Kind kind = Kind::kStepFinished;
  std::string step;  // empty for kRunFinished
  pipeline::RunState state = pipeline::RunState::kRunning;
  std::string message;   // why it failed, was skipped or retried
  std::string log_tail;  // last lines of a failed step's log
  int64_t attempt = 0;
  int64_t elapsed_ms = 0;  // the step's (or run's) duration once final
};
using EventFn = std::function<void(const RunEvent&)>;

class PipelineRun {
 public:
  // Records a new run (parent tracking run, pipeline_runs row, every step PENDING); nothing
  // runs yet. Errors: kInternal for storage failures.
  static Result<std::unique_ptr<PipelineRun>> Create(RunnerServices& services, RunRequest request);

  // Reopens run `run_id` to re-run only the steps that did not succeed. `request.pipeline` must
  // be the run's stored spec and overrides, resolved again. Errors: kNotFound,
  // kFailedPrecondition if the run is still running, kInvalidArgument if the steps differ.
  static Result<std::unique_ptr<PipelineRun>> Resume(RunnerServices& services,
                                                     const std::string& run_id, RunRequest request);

  ~PipelineRun();

  const std::string& run_id() const { return run_id_; }
  const std::string& experiment_id() const { return experiment_id_; }

  // Runs until every step is final and returns the run's final state (SUCCEEDED, FAILED or
  // CANCELLED). Call once, from one thread; `on_event` is called on that thread.
  pipeline::RunState Execute(const EventFn& on_event);

  // Stops the run: queued steps are cancelled, running ones killed. Thread-safe, idempotent.
  void Cancel();

 private:
  struct StepState {
    pipeline::StepRecord record;
    size_t waiting = 0;  // upstream steps not yet succeeded
    std::optional<TaskId> task;
    std::optional<tracking::RunInfo> tracked;
    std::map<std::string, BoundInput> inputs;
    std::string
        uncacheable;  // non-empty: why this step is neither served from nor put in the cache
  };
  struct Completion {
    size_t step;
    ProcessResult result;
  };

  PipelineRun(RunnerServices& services, RunRequest request);
  Status CreateRecords();
  Status ReopenRecords(const pipeline::PipelineRunRecord& stored);
  void InitWaiting();

  void Launch(size_t index);
  Status StartStep(size_t index);
  Status TryCache(size_t index, bool* hit);
  // Records a cache hit: a finished step run carrying the results of the run that computed
  // `outputs` (tag kiln.cached_from), then finishes the step as CACHED.
  Status RecordCached(size_t index, const std::vector<pipeline::StepOutput>& outputs);
  Status Submit(size_t index);
  void OnProcessDone(const Completion& done);
  Status RecordSuccess(size_t index, const ProcessResult& result);
  void Finish(size_t index, pipeline::RunState state, const std::string& message);
  void SkipDownstream(size_t index);
  void Release(size_t index);
  void CancelEverything();
  bool CancelRequested();
  // Does what needs no waiting (a requested cancel, ready steps, ended processes), at most
  // kBurstLimit units, with all their records written in one store transaction.
  void RunBurst();
  // A step's process that has ended, if any; never blocks.
  std::optional<Completion> TakeCompletion();
  // Blocks until a step's process ended or a cancel arrived.
  void WaitForWork();
  pipeline::RunState FinalState() const;
  // Queues `event`; RunBurst passes queued events on once their records are committed, so a
  // watcher that reads the store on an event finds what the event says.
  void Emit(RunEvent event);
  void EmitQueued();
  std::vector<pipeline::LineageEdge> EdgesOf(size_t index) const;
  std::map<std::string, std::vector<pipeline::StepOutput>> UpstreamOutputs(size_t index) const;

  RunnerServices& services_;
  RunRequest request_;
  pipeline::RunRecords records_;
  std::string run_id_;
  std::string experiment_id_;
  std::vector<StepState> steps_;
  std::deque<size_t> ready_;
  size_t running_ = 0;
  bool cancelling_ = false;  // coordinator thread only
  std::string first_error_;
  int64_t started_ms_ = 0;
  const EventFn* on_event_ = nullptr;
  std::vector<RunEvent> queued_events_;

  Mutex mu_;  // shared with executor threads and Cancel
  std::condition_variable wake_;
  std::deque<Completion> completions_ GUARDED_BY(mu_);
  bool cancel_requested_ GUARDED_BY(mu_) = false;
};

}  // namespace kiln::exec
