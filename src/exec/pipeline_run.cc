#include "exec/pipeline_run.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "exec/builtin_launch.h"
#include "exec/run_tracking.h"
#include "exec/step_deps.h"
#include "exec/step_launch.h"
#include "exec/step_results.h"
#include "pipeline/cache_key.h"

namespace kiln::exec {
namespace {

using pipeline::RunState;

constexpr int kLogTailLines = 20;
// Steps launched or finished per store transaction. Bounds how long other writers wait
// (a cached step takes well under a millisecond) while sparing a commit per record.
constexpr int kBurstLimit = 64;

std::string ParamsJson(const std::map<std::string, pipeline::ParamValue>& params) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [name, value] : params) json[name] = pipeline::ToString(value);
  return json.dump();
}

RunEvent MakeEvent(RunEvent::Kind kind, const std::string& step, RunState state,
                   const std::string& message) {
  RunEvent event;
  event.kind = kind;
  event.step = step;
  event.state = state;
  event.message = message;
  return event;
}

std::map<std::string, std::string> KeyDigests(const std::map<std::string, BoundInput>& inputs) {
  std::map<std::string, std::string> digests;
  for (const auto& [name, input] : inputs) {
    digests[name] = (input.is_tree ? "tree:" : "file:") + input.digest;
  }
  return digests;
}

}  // namespace

PipelineRun::PipelineRun(RunnerServices& services, RunRequest request)
    : services_(services), request_(std::move(request)), records_(services.store) {}

PipelineRun::~PipelineRun() = default;

Result<std::unique_ptr<PipelineRun>> PipelineRun::Create(RunnerServices& services,
                                                         RunRequest request) {
  std::unique_ptr<PipelineRun> run(new PipelineRun(services, std::move(request)));
  KILN_RETURN_IF_ERROR(run->CreateRecords());
  return run;
}

Status PipelineRun::CreateRecords() {
  const pipeline::PipelineSpec& spec = request_.pipeline.spec;
  KILN_ASSIGN_OR_RETURN(experiment_id_, EnsureExperiment(services_.tracking, spec.name));
  std::vector<tracking::Tag> tags = {{"kiln.type", "pipeline"},
                                     {"kiln.pipeline", spec.name},
                                     {"mlflow.source.name", request_.file}};
  if (!request_.sweep_id.empty()) tags.push_back({"kiln.sweep_id", request_.sweep_id});
  KILN_ASSIGN_OR_RETURN(
      tracking::RunInfo parent,
      StartTrackedRun(services_.tracking, experiment_id_, "", tags, request_.pipeline.params));
  run_id_ = parent.run_id;
  pipeline::PipelineRunRecord record;
  record.run_id = run_id_;
  record.pipeline_name = spec.name;
  record.file = request_.file;
  record.base_dir = request_.base_dir;
  record.spec = request_.spec_text;
  record.overrides = request_.overrides;
  record.params_json = ParamsJson(request_.pipeline.params);
  record.sweep_id = request_.sweep_id;
  record.schedule_id = request_.schedule_id;
  record.created_ms = NowMillis();
  for (size_t i = 0; i < spec.steps.size(); ++i) {
    StepState state;
    state.record.step = spec.steps[i].name;
    state.record.position = static_cast<int64_t>(i);
    record.steps.push_back(state.record);
    steps_.push_back(std::move(state));
  }
  InitWaiting();
  return records_.Create(record);
}

Result<std::unique_ptr<PipelineRun>> PipelineRun::Resume(RunnerServices& services,
                                                         const std::string& run_id,
                                                         RunRequest request) {
  pipeline::RunRecords records(services.store);
  KILN_ASSIGN_OR_RETURN(pipeline::PipelineRunRecord stored, records.Get(run_id));
  if (!pipeline::IsFinal(stored.state)) {
    return FailedPrecondition("pipeline run '" + run_id + "' is still " +
                              pipeline::RunStateName(stored.state));
  }
  std::unique_ptr<PipelineRun> run(new PipelineRun(services, std::move(request)));
  store::WriteBatch batch(services.store);  // one transaction for every step's reset
  KILN_RETURN_IF_ERROR(run->ReopenRecords(stored));
  KILN_RETURN_IF_ERROR(batch.Commit());
  return run;
}

Status PipelineRun::ReopenRecords(const pipeline::PipelineRunRecord& stored) {
  const pipeline::PipelineSpec& spec = request_.pipeline.spec;
  if (stored.steps.size() != spec.steps.size()) {
    return InvalidArgument("pipeline run '" + stored.run_id + "' has different steps");
  }
  run_id_ = stored.run_id;
  KILN_ASSIGN_OR_RETURN(tracking::Run parent, services_.tracking.GetRun(run_id_));
  experiment_id_ = parent.info.experiment_id;
  for (size_t i = 0; i < spec.steps.size(); ++i) {
    StepState state;
    state.record = stored.steps[i];
    if (state.record.step != spec.steps[i].name) {
      return InvalidArgument("pipeline run '" + stored.run_id + "' has different steps");
    }
    const bool keep =
        state.record.state == RunState::kSucceeded || state.record.state == RunState::kCached;
    if (!keep) {
      state.record = pipeline::StepRecord();
      state.record.step = spec.steps[i].name;
      state.record.position = static_cast<int64_t>(i);
    }
    KILN_RETURN_IF_ERROR(records_.SaveStep(run_id_, state.record));
    steps_.push_back(std::move(state));
  }
  InitWaiting();
  // Not final from now on, so that nobody mistakes the old outcome for the resumed one.
  KILN_RETURN_IF_ERROR(records_.SetRunState(run_id_, RunState::kPending, "", 0, 0));
  tracking::UpdateRunRequest update{run_id_, std::string("RUNNING"), std::nullopt, std::nullopt};
  return services_.tracking.UpdateRun(update).status();
}

void PipelineRun::InitWaiting() {
  const pipeline::DagPlan& plan = request_.pipeline.plan;
  for (size_t i : plan.order) {
    if (steps_[i].record.state != RunState::kPending) continue;
    for (size_t up : plan.upstream[i]) {
      if (steps_[up].record.state == RunState::kPending) ++steps_[i].waiting;
    }
    if (steps_[i].waiting == 0) ready_.push_back(i);
  }
}

RunState PipelineRun::Execute(const EventFn& on_event) {
  on_event_ = &on_event;
  started_ms_ = NowMillis();
  records_.SetRunState(run_id_, RunState::kRunning, "", started_ms_, 0).IgnoreError();
  while (true) {
    RunBurst();
    const bool can_launch = !ready_.empty() && !cancelling_;
    if (can_launch) continue;
    if (running_ == 0) break;
    WaitForWork();
  }
  const RunState final_state = FinalState();
  const int64_t ended = NowMillis();
  records_.SetRunState(run_id_, final_state, first_error_, 0, ended).IgnoreError();
  EndTrackedRun(services_.tracking, run_id_, final_state, ended).IgnoreError();
  RunEvent event = MakeEvent(RunEvent::Kind::kRunFinished, "", final_state, first_error_);
  event.elapsed_ms = ended - started_ms_;
  Emit(event);
  EmitQueued();
  return final_state;
}

void PipelineRun::RunBurst() {
  store::WriteBatch batch(services_.store);
  for (int unit = 0; unit < kBurstLimit; ++unit) {
    if (!cancelling_ && CancelRequested()) CancelEverything();
    if (!ready_.empty() && !cancelling_) {
      const size_t next = ready_.front();
      ready_.pop_front();
      Launch(next);
      continue;
    }
    std::optional<Completion> done = TakeCompletion();
    if (!done) break;
    OnProcessDone(*done);
  }
  Status saved = batch.Commit();
  if (!saved.ok() && first_error_.empty()) {
    first_error_ = "cannot save the run's records: " + saved.message();
  }
  EmitQueued();
}

bool PipelineRun::CancelRequested() {
  MutexLock lock(mu_);
  return cancel_requested_;
}

std::optional<PipelineRun::Completion> PipelineRun::TakeCompletion() {
  MutexLock lock(mu_);
  if (completions_.empty()) return std::nullopt;
  Completion done = std::move(completions_.front());
  completions_.pop_front();
  return done;
}

void PipelineRun::WaitForWork() {
  MutexLock lock(mu_);
  lock.Wait(wake_, [this]() REQUIRES(mu_) {
    return !completions_.empty() || (cancel_requested_ && !cancelling_);
  });
}

void PipelineRun::Cancel() {
  MutexLock lock(mu_);
  cancel_requested_ = true;
  wake_.notify_all();
}

void PipelineRun::CancelEverything() {
  cancelling_ = true;
  for (size_t i = 0; i < steps_.size(); ++i) {
    if (steps_[i].record.state == RunState::kPending) {
      Finish(i, RunState::kCancelled, "the run was cancelled");
    } else if (steps_[i].record.state == RunState::kRunning && steps_[i].task) {
      services_.executor.Cancel(*steps_[i].task);
    }
  }
  ready_.clear();
  if (first_error_.empty()) first_error_ = "cancelled";
}

RunState PipelineRun::FinalState() const {
  bool failed = false;
  for (const StepState& s : steps_) {
    if (s.record.state == RunState::kFailed) failed = true;
  }
  if (cancelling_) return RunState::kCancelled;
  return failed ? RunState::kFailed : RunState::kSucceeded;
}

void PipelineRun::Launch(size_t index) {
  Status status = StartStep(index);
  if (!status.ok()) Finish(index, RunState::kFailed, status.message());
}

Status PipelineRun::StartStep(size_t index) {
  StepState& step = steps_[index];
  const pipeline::ResolvedStep& resolved = request_.pipeline.steps[index];
  KILN_ASSIGN_OR_RETURN(step.inputs, BindInputs(services_.artifacts, services_.datasets, resolved,
                                                UpstreamOutputs(index), request_.base_dir));
  KILN_ASSIGN_OR_RETURN(StepDeps deps, StepDepsDigest(resolved, request_.base_dir));
  step.record.cache_key = pipeline::StepCacheKey(resolved, KeyDigests(step.inputs), deps.digest);
  step.uncacheable =
      resolved.cacheable ? deps.uncacheable : "the step or its module says cache: false";
  bool hit = false;
  if (request_.use_cache && step.uncacheable.empty()) KILN_RETURN_IF_ERROR(TryCache(index, &hit));
  if (hit) return Status::Ok();
  std::vector<tracking::Tag> tags = {{"mlflow.parentRunId", run_id_},
                                     {"kiln.type", "step"},
                                     {"kiln.step", resolved.name},
                                     {"kiln.module", resolved.module_ref},
                                     {"kiln.cache_key", step.record.cache_key}};
  if (!step.uncacheable.empty()) tags.push_back({"kiln.uncacheable", step.uncacheable});
  KILN_ASSIGN_OR_RETURN(step.tracked, StartTrackedRun(services_.tracking, experiment_id_,
                                                      resolved.name, tags, resolved.params));
  step.record.run_id = step.tracked->run_id;
  KILN_RETURN_IF_ERROR(LogDatasetInputs(services_.tracking, step.record.run_id, step.inputs));
  return Submit(index);
}

Status PipelineRun::TryCache(size_t index, bool* hit) {
  StepState& step = steps_[index];
  KILN_ASSIGN_OR_RETURN(auto cached, records_.LookupCache(step.record.cache_key));
  if (!cached) return Status::Ok();
  if (!CheckOutputsStored(services_.artifacts, *cached).ok()) {
    // Its outputs are gone: a miss. Forget the entry so that the recomputed outputs are kept.
    return records_.DropCache(step.record.cache_key);
  }
  *hit = true;
  return RecordCached(index, *cached);
}

Status PipelineRun::RecordCached(size_t index, const std::vector<pipeline::StepOutput>& outputs) {
  StepState& step = steps_[index];
  const pipeline::ResolvedStep& resolved = request_.pipeline.steps[index];
  KILN_ASSIGN_OR_RETURN(std::string source, records_.CacheSourceRun(step.record.cache_key));
  std::vector<tracking::Tag> tags = {{"mlflow.parentRunId", run_id_},
                                     {"kiln.type", "step"},
                                     {"kiln.step", resolved.name},
                                     {"kiln.module", resolved.module_ref},
                                     {"kiln.cache_key", step.record.cache_key},
                                     {"kiln.cached", "true"}};
  if (!source.empty()) tags.push_back({"kiln.cached_from", source});
  KILN_ASSIGN_OR_RETURN(step.tracked, StartTrackedRun(services_.tracking, experiment_id_,
                                                      resolved.name, tags, resolved.params));
  step.record.run_id = step.tracked->run_id;
  KILN_RETURN_IF_ERROR(LogDatasetInputs(services_.tracking, step.record.run_id, step.inputs));
  if (!source.empty()) {
    KILN_RETURN_IF_ERROR(services_.tracking.CopyRunResults(step.record.run_id, source));
  }
  step.record.cached = true;
  step.record.outputs = outputs;
  step.record.started_ms = NowMillis();
  Finish(index, RunState::kCached, "");
  return Status::Ok();
}

Status PipelineRun::Submit(size_t index) {
  StepState& step = steps_[index];
  const pipeline::ResolvedStep& resolved = request_.pipeline.steps[index];
  const StepPaths paths = StepPathsFor(services_.data_dir, run_id_, resolved.name);
  KILN_RETURN_IF_ERROR(PrepareStepFolders(resolved, paths));
  KILN_ASSIGN_OR_RETURN(auto input_paths, InputPaths(services_.artifacts, step.inputs,
                                                     services_.data_dir + "/trees"));
  StepIdentity identity{run_id_,
                        step.record.run_id,
                        experiment_id_,
                        services_.tracking_uri,
                        std::filesystem::absolute(services_.data_dir).string(),
                        &services_.step_env};
  pipeline::ResolvedStep launched = resolved;
  if (!resolved.builtin.empty()) {
    std::map<std::string, std::string> sources;
    for (const auto& [name, input] : step.inputs) sources[name] = input.source;
    KILN_ASSIGN_OR_RETURN(launched.command, BuiltinStepCommand(services_.builtin_command, resolved,
                                                               paths, input_paths, sources));
  }
  KILN_ASSIGN_OR_RETURN(ProcessSpec spec, BuildProcessSpec(launched, paths, input_paths, identity,
                                                           request_.base_dir));
  step.record.log_path = paths.log_file;
  step.record.state = RunState::kRunning;
  ++step.record.attempts;
  if (step.record.started_ms == 0) step.record.started_ms = NowMillis();
  KILN_ASSIGN_OR_RETURN(
      TaskId task,
      services_.executor.Submit(std::move(spec), [this, index](TaskId, const ProcessResult& r) {
        MutexLock lock(mu_);
        completions_.push_back({index, r});
        wake_.notify_all();
      }));
  step.task = task;
  ++running_;
  KILN_RETURN_IF_ERROR(records_.SaveStep(run_id_, step.record));
  RunEvent event = MakeEvent(RunEvent::Kind::kStepStarted, resolved.name, RunState::kRunning, "");
  event.attempt = step.record.attempts;
  Emit(event);
  return Status::Ok();
}

void PipelineRun::OnProcessDone(const Completion& done) {
  --running_;
  StepState& step = steps_[done.step];
  step.task.reset();
  step.record.exit_code =
      done.result.exit_code >= 0 ? std::optional<int64_t>(done.result.exit_code) : std::nullopt;
  if (done.result.outcome == Outcome::kSucceeded) {
    Status recorded = RecordSuccess(done.step, done.result);
    if (!recorded.ok()) Finish(done.step, RunState::kFailed, recorded.message());
    return;
  }
  if (done.result.outcome == Outcome::kCancelled || cancelling_) {
    Finish(done.step, RunState::kCancelled, done.result.message);
    return;
  }
  const pipeline::ResolvedStep& resolved = request_.pipeline.steps[done.step];
  if (step.record.attempts <= resolved.retries) {
    RunEvent event = MakeEvent(RunEvent::Kind::kStepRetrying, resolved.name, RunState::kRunning,
                               done.result.message);
    event.attempt = step.record.attempts;
    Emit(event);
    Status resubmitted = Submit(done.step);
    if (!resubmitted.ok()) Finish(done.step, RunState::kFailed, resubmitted.message());
    return;
  }
  Finish(done.step, RunState::kFailed, done.result.message);
}

Status PipelineRun::RecordSuccess(size_t index, const ProcessResult& result) {
  StepState& step = steps_[index];
  const pipeline::ResolvedStep& resolved = request_.pipeline.steps[index];
  const StepPaths paths = StepPathsFor(services_.data_dir, run_id_, resolved.name);
  KILN_ASSIGN_OR_RETURN(step.record.outputs, CollectOutputs(services_.artifacts, resolved, paths));
  KILN_ASSIGN_OR_RETURN(std::vector<tracking::Metric> metrics,
                        ReadMetricsFile(paths.metrics_file, NowMillis()));
  tracking::Batch batch;
  batch.metrics = std::move(metrics);
  for (const pipeline::StepOutput& output : step.record.outputs) {
    batch.tags.push_back({"kiln.output." + output.name, output.digest});
  }
  KILN_RETURN_IF_ERROR(services_.tracking.LogBatch(step.record.run_id, batch));
  if (step.uncacheable.empty()) {
    KILN_RETURN_IF_ERROR(
        records_.PutCache(step.record.cache_key, run_id_, resolved.name, step.record.outputs));
  }
  Finish(index, RunState::kSucceeded, "");
  return Status::Ok();
}

void PipelineRun::Finish(size_t index, RunState state, const std::string& message) {
  StepState& step = steps_[index];
  const std::string& name = step.record.step;
  step.record.state = state;
  step.record.error = message;
  step.record.ended_ms = NowMillis();
  if (step.tracked) {
    if (!step.record.cached) {
      UploadStepLog(services_.artifacts, *step.tracked, name, step.record.log_path).IgnoreError();
    }
    EndTrackedRun(services_.tracking, step.record.run_id, state, step.record.ended_ms)
        .IgnoreError();
  }
  records_.SaveStep(run_id_, step.record, EdgesOf(index)).IgnoreError();
  RunEvent event = MakeEvent(RunEvent::Kind::kStepFinished, name, state, message);
  event.attempt = step.record.attempts;
  event.elapsed_ms = step.record.started_ms ? step.record.ended_ms - step.record.started_ms : 0;
  if (state == RunState::kFailed) {
    event.log_tail = LogTail(step.record.log_path, kLogTailLines);
    if (first_error_.empty()) first_error_ = "step '" + name + "' failed: " + message;
  }
  Emit(event);
  if (state == RunState::kSucceeded || state == RunState::kCached) {
    Release(index);
  } else if (state == RunState::kFailed) {
    SkipDownstream(index);
  }
}

void PipelineRun::Release(size_t index) {
  for (size_t down : request_.pipeline.plan.downstream[index]) {
    if (steps_[down].record.state != RunState::kPending) continue;
    if (--steps_[down].waiting == 0) ready_.push_back(down);
  }
}

void PipelineRun::SkipDownstream(size_t index) {
  for (size_t down : request_.pipeline.plan.downstream[index]) {
    if (steps_[down].record.state != RunState::kPending) continue;
    Finish(down, RunState::kSkipped, "upstream step '" + steps_[index].record.step + "' failed");
    SkipDownstream(down);
  }
}

std::map<std::string, std::vector<pipeline::StepOutput>> PipelineRun::UpstreamOutputs(
    size_t index) const {
  std::map<std::string, std::vector<pipeline::StepOutput>> outputs;
  for (size_t up : request_.pipeline.plan.upstream[index]) {
    outputs[steps_[up].record.step] = steps_[up].record.outputs;
  }
  return outputs;
}

std::vector<pipeline::LineageEdge> PipelineRun::EdgesOf(size_t index) const {
  const StepState& step = steps_[index];
  std::vector<pipeline::LineageEdge> edges;
  if (step.record.run_id.empty()) return edges;
  for (const auto& [name, input] : step.inputs) {
    edges.push_back({"artifact", input.digest, "step_run", step.record.run_id, "input:" + name});
    if (input.source.rfind("dataset:", 0) == 0) {
      edges.push_back(
          {"dataset", input.source.substr(8), "step_run", step.record.run_id, "input:" + name});
    }
  }
  for (const pipeline::StepOutput& output : step.record.outputs) {
    edges.push_back(
        {"step_run", step.record.run_id, "artifact", output.digest, "output:" + output.name});
  }
  return edges;
}

void PipelineRun::Emit(RunEvent event) { queued_events_.push_back(std::move(event)); }

void PipelineRun::EmitQueued() {
  std::vector<RunEvent> events;
  events.swap(queued_events_);
  if (on_event_ == nullptr || !*on_event_) return;
  for (const RunEvent& event : events) (*on_event_)(event);
}

}  // namespace kiln::exec
