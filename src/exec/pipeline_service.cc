#include "exec/pipeline_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "exec/command_policy.h"
#include "exec/pipeline_folders.h"

namespace kiln::exec {

struct PipelineService::LiveRun {
  std::string run_id;
  std::unique_ptr<PipelineRun> run;
  Mutex mu;
  std::condition_variable changed;
  std::vector<RunEvent> events GUARDED_BY(mu);
  bool finished GUARDED_BY(mu) = false;
};

struct PipelineService::Batch {
  std::vector<std::shared_ptr<LiveRun>> runs;
  size_t next = 0;  // guarded by the service's mu_
};

namespace {

constexpr size_t kMaxRememberedRuns = 500;

std::string SweepJson(const SubmitRequest& request, const Plan& plan) {
  nlohmann::json points = nlohmann::json::array();
  for (const PlannedRun& run : plan.runs) points.push_back(run.description);
  return nlohmann::json{{"file", request.file},         {"overrides", request.overrides},
                        {"multirun", request.multirun}, {"sample", request.sample},
                        {"seed", request.seed},         {"points", points}}
      .dump();
}

}  // namespace

PipelineService::PipelineService(store::MetaStore& store, tracking::TrackingService& tracking,
                                 artifacts::ArtifactStore& artifacts,
                                 PipelineServiceOptions options, std::unique_ptr<Executor> executor)
    : store_(store),
      tracking_(tracking),
      artifacts_(artifacts),
      options_(std::move(options)),
      executor_(executor ? std::move(executor) : NewLocalExecutor(options_.executor)),
      runner_{store,
              tracking,
              artifacts,
              *executor_,
              options_.data_dir,
              options_.tracking_uri,
              options_.step_env,
              options_.datasets,
              options_.builtin_command},
      records_(store),
      definitions_(store) {
  pipeline_roots_ = options_.pipeline_roots;
  pipeline_roots_.push_back(options_.data_dir + "/pipelines");
}

PipelineService::~PipelineService() {
  CancelAll();
  std::vector<std::thread> drivers;
  {
    MutexLock lock(mu_);
    drivers.swap(drivers_);
  }
  for (std::thread& t : drivers) t.join();
}

Result<std::unique_ptr<pipeline::ModuleLibrary>> PipelineService::OpenLibrary(
    const std::string& base_dir) {
  pipeline::ModuleLibraryOptions library = pipeline::DefaultModuleLibraryOptions(base_dir);
  if (options_.published_modules) {
    KILN_ASSIGN_OR_RETURN(library.published, options_.published_modules());
  }
  return pipeline::OpenModuleLibrary(library);
}

bool PipelineService::Restricted(const std::string& peer) const {
  return !peer.empty() && !options_.allow_remote_commands;
}

Status PipelineService::CheckCommands(const SubmitRequest& request, const Plan& plan) const {
  if (!Restricted(request.peer)) return Status::Ok();
  for (const PlannedRun& run : plan.runs) {
    KILN_RETURN_IF_ERROR(CheckNoClientCommands(run.pipeline, request.base_dir));
  }
  return Status::Ok();
}

Status PipelineService::CheckModulePublish(const std::string& manifest_text,
                                           const std::string& peer) const {
  if (!Restricted(peer)) return Status::Ok();
  Result<pipeline::ModuleManifest> manifest =
      pipeline::ParseModuleManifest(manifest_text, "module.yaml");
  if (!manifest.ok()) return Status::Ok();
  return CheckPublishableRemotely(*manifest);
}

// Callers keep the answer in place until their scope ends: moving the ticket out of the
// Result made GCC 12 at -O3 warn -Wmaybe-uninitialized on its destructor (a false positive).
Result<std::optional<PlanningGate::Ticket>> PipelineService::AdmitPlanning(
    const SubmitRequest& request) {
  const bool large =
      request.spec_text.size() > kLargeSpecBytes || request.multirun || request.sample > 0;
  if (request.peer.empty() || !large) return std::optional<PlanningGate::Ticket>();
  std::optional<PlanningGate::Ticket> ticket = large_plans_.TryEnter();
  if (!ticket) {
    return ResourceExhausted(
        "the server is planning another large pipeline or sweep; retry in a moment");
  }
  return ticket;  // moved implicitly (C++20)
}

Result<Submission> PipelineService::Submit(const SubmitRequest& request) {
  const Result<std::optional<PlanningGate::Ticket>> admitted = AdmitPlanning(request);
  KILN_RETURN_IF_ERROR(admitted.status());
  SubmitRequest chosen = request;
  KILN_RETURN_IF_ERROR(ChooseBaseDir(chosen));
  return StartPlanned(chosen);
}

Result<Submission> PipelineService::SubmitStored(const SubmitRequest& request) {
  const Result<std::optional<PlanningGate::Ticket>> admitted = AdmitPlanning(request);
  KILN_RETURN_IF_ERROR(admitted.status());
  return StartPlanned(request);
}

Result<Submission> PipelineService::StartPlanned(const SubmitRequest& request) {
  KILN_ASSIGN_OR_RETURN(auto library, OpenLibrary(request.base_dir));
  KILN_ASSIGN_OR_RETURN(Plan plan, PlanSubmission(request, *library, options_.datasets));
  KILN_RETURN_IF_ERROR(CheckCommands(request, plan));
  KILN_RETURN_IF_ERROR(RememberDefinition(request, plan));
  KILN_RETURN_IF_ERROR(EnsurePipelineFolder(request.base_dir));
  Submission submission;
  submission.pipeline_name = plan.pipeline_name;
  if (plan.is_sweep) {
    submission.sweep_id = NewHexId();
    KILN_RETURN_IF_ERROR(
        records_.CreateSweep(submission.sweep_id, plan.pipeline_name, SweepJson(request, plan)));
  }
  std::vector<std::unique_ptr<PipelineRun>> runs;
  for (PlannedRun& planned : plan.runs) {
    RunRequest run{
        std::move(planned.pipeline), request.spec_text, request.file,        request.base_dir,
        planned.overrides,           request.use_cache, submission.sweep_id, request.schedule_id};
    KILN_ASSIGN_OR_RETURN(std::unique_ptr<PipelineRun> created,
                          PipelineRun::Create(runner_, std::move(run)));
    submission.run_ids.push_back(created->run_id());
    submission.descriptions.push_back(planned.description);
    runs.push_back(std::move(created));
  }
  const int64_t parallel = plan.is_sweep ? request.parallel : 1;
  return Start(std::move(runs), parallel, std::move(submission));
}

Result<Submission> PipelineService::Resume(const std::string& run_id, bool use_cache,
                                           const std::string& peer) {
  KILN_ASSIGN_OR_RETURN(pipeline::PipelineRunRecord stored, records_.Get(run_id));
  std::shared_ptr<LiveRun> live = FindLive(run_id);
  bool live_running = false;
  if (live) {
    MutexLock lock(live->mu);  // `finished` is written by the run's driver thread
    live_running = !live->finished;
  }
  if (!pipeline::IsFinal(stored.state) || live_running) {
    return FailedPrecondition("pipeline run '" + run_id + "' is still running");
  }
  SubmitRequest request;
  request.spec_text = stored.spec;
  request.file = stored.file;
  request.base_dir = stored.base_dir;
  request.overrides = stored.overrides;
  request.peer = peer;
  const Result<std::optional<PlanningGate::Ticket>> admitted = AdmitPlanning(request);
  KILN_RETURN_IF_ERROR(admitted.status());
  KILN_ASSIGN_OR_RETURN(auto library, OpenLibrary(stored.base_dir));
  KILN_ASSIGN_OR_RETURN(Plan plan, PlanSubmission(request, *library, options_.datasets));
  KILN_RETURN_IF_ERROR(CheckCommands(request, plan));
  RunRequest run{std::move(plan.runs.at(0).pipeline),
                 stored.spec,
                 stored.file,
                 stored.base_dir,
                 stored.overrides,
                 use_cache,
                 stored.sweep_id,
                 stored.schedule_id};
  KILN_ASSIGN_OR_RETURN(std::unique_ptr<PipelineRun> reopened,
                        PipelineRun::Resume(runner_, run_id, std::move(run)));
  Submission submission{"", stored.pipeline_name, {run_id}, {""}};
  std::vector<std::unique_ptr<PipelineRun>> runs;
  runs.push_back(std::move(reopened));
  return Start(std::move(runs), 1, std::move(submission));
}

Result<Submission> PipelineService::Start(std::vector<std::unique_ptr<PipelineRun>> runs,
                                          int64_t parallel, Submission submission) {
  ReapThreads();
  auto batch = std::make_shared<Batch>();
  MutexLock lock(mu_);
  for (std::unique_ptr<PipelineRun>& run : runs) {
    auto live = std::make_shared<LiveRun>();
    live->run_id = run->run_id();
    live->run = std::move(run);
    live_[live->run_id] = live;
    batch->runs.push_back(live);
  }
  if (parallel <= 0) parallel = std::max(1u, std::thread::hardware_concurrency());
  const size_t workers = std::min<size_t>(static_cast<size_t>(parallel), batch->runs.size());
  for (size_t i = 0; i < workers; ++i) {
    ++active_batches_;
    drivers_.emplace_back([this, batch] { Drive(batch); });
  }
  return submission;
}

void PipelineService::Drive(std::shared_ptr<Batch> batch) {
  while (true) {
    std::shared_ptr<LiveRun> live;
    {
      MutexLock lock(mu_);
      if (batch->next >= batch->runs.size()) break;
      live = batch->runs[batch->next++];
    }
    RunOne(live);
  }
  MutexLock lock(mu_);
  finished_drivers_.push_back(std::this_thread::get_id());
  --active_batches_;
  idle_.notify_all();
}

void PipelineService::RunOne(const std::shared_ptr<LiveRun>& live) {
  live->run->Execute([this, &live](const RunEvent& event) { Record(live, event); });
  MutexLock lock(live->mu);
  live->finished = true;
  live->changed.notify_all();
}

void PipelineService::Record(const std::shared_ptr<LiveRun>& live, const RunEvent& event) {
  {
    MutexLock lock(live->mu);
    live->events.push_back(event);
    live->changed.notify_all();
  }
  if (options_.on_event) options_.on_event(live->run_id, event);
}

Status PipelineService::Cancel(const std::string& run_id) {
  std::shared_ptr<LiveRun> live = FindLive(run_id);
  if (!live) {
    KILN_ASSIGN_OR_RETURN(pipeline::PipelineRunRecord stored, records_.Get(run_id));
    return FailedPrecondition("pipeline run '" + run_id + "' is not running (" +
                              pipeline::RunStateName(stored.state) + ")");
  }
  {
    MutexLock lock(live->mu);
    if (live->finished) {
      return FailedPrecondition("pipeline run '" + run_id + "' has already finished");
    }
  }
  live->run->Cancel();
  return Status::Ok();
}

void PipelineService::CancelAll() {
  MutexLock lock(mu_);
  for (auto& [id, live] : live_) live->run->Cancel();
}

EventBatch PipelineService::WaitEvents(const std::string& run_id, size_t from,
                                       std::chrono::milliseconds timeout) {
  EventBatch batch;
  std::shared_ptr<LiveRun> live = FindLive(run_id);
  if (!live) {
    batch.finished = true;
    batch.live = false;
    batch.next = from;
    return batch;
  }
  MutexLock lock(live->mu);
  lock.WaitFor(live->changed, timeout,
               [&]() REQUIRES(live->mu) { return live->events.size() > from || live->finished; });
  for (size_t i = from; i < live->events.size(); ++i) batch.events.push_back(live->events[i]);
  batch.next = std::max(from, live->events.size());
  batch.finished = live->finished && batch.next >= live->events.size();
  return batch;
}

void PipelineService::WaitIdle() {
  MutexLock lock(mu_);
  lock.Wait(idle_, [this]() REQUIRES(mu_) { return active_batches_ == 0; });
}

std::shared_ptr<PipelineService::LiveRun> PipelineService::FindLive(const std::string& run_id) {
  MutexLock lock(mu_);
  auto it = live_.find(run_id);
  return it == live_.end() ? nullptr : it->second;
}

void PipelineService::ReapThreads() {
  std::vector<std::thread> done;
  {
    MutexLock lock(mu_);
    for (auto it = drivers_.begin(); it != drivers_.end();) {
      auto found = std::find(finished_drivers_.begin(), finished_drivers_.end(), it->get_id());
      if (found == finished_drivers_.end()) {
        ++it;
        continue;
      }
      finished_drivers_.erase(found);
      done.push_back(std::move(*it));
      it = drivers_.erase(it);
    }
    ForgetOldRuns();
  }
  for (std::thread& t : done) t.join();
}

void PipelineService::ForgetOldRuns() {
  if (live_.size() <= kMaxRememberedRuns) return;
  for (auto it = live_.begin(); it != live_.end() && live_.size() > kMaxRememberedRuns;) {
    MutexLock lock(it->second->mu);
    it = it->second->finished ? live_.erase(it) : std::next(it);
  }
}

}  // namespace kiln::exec
