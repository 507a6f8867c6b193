#include "exec/scheduler.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "common/ids.h"
#include "pipeline/cron.h"

namespace kiln::exec {
namespace {

// The first cron minute after `now_ms`; -1 (never again) for a cron that no longer parses.
int64_t NextFire(const pipeline::Schedule& schedule, int64_t now_ms) {
  Result<pipeline::CronSchedule> cron = pipeline::ParseCron(schedule.cron);
  if (!cron.ok()) {
    spdlog::error("schedule '{}': {}", schedule.name, cron.status().message());
    return -1;
  }
  return pipeline::NextFireMs(*cron, now_ms);
}

}  // namespace

Scheduler::Scheduler(store::MetaStore& store, PipelineService& pipelines, SchedulerOptions options)
    : pipelines_(pipelines),
      schedules_(store),
      tick_(options.tick),
      now_(options.now ? std::move(options.now) : std::function<int64_t()>(NowMillis)) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  MutexLock lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  std::thread thread;
  {
    MutexLock lock(mu_);
    stop_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

void Scheduler::Loop() {
  while (true) {
    {
      MutexLock lock(mu_);
      if (stop_) return;
    }
    Tick();
    MutexLock lock(mu_);
    lock.WaitFor(wake_, tick_, [this]() REQUIRES(mu_) { return stop_; });
  }
}

void Scheduler::Tick() {
  MutexLock lock(fire_mu_);
  // The thread must outlive any one bad schedule, so nothing may escape from here.
  try {
    const int64_t now_ms = now_();
    Result<std::vector<pipeline::Schedule>> due = schedules_.Due(now_ms);
    if (!due.ok()) {
      spdlog::warn("scheduler: cannot read due schedules: {}", due.status().message());
      return;
    }
    for (const pipeline::Schedule& schedule : *due) FireDue(schedule, now_ms);
  } catch (const std::exception& e) {
    spdlog::error("scheduler: tick failed: {}", e.what());
  }
}

void Scheduler::FireDue(const pipeline::Schedule& schedule, int64_t now_ms) {
  std::string run_id;
  Result<std::string> live =
      schedule.allow_overlap ? Result<std::string>(std::string()) : LiveRun(schedule.schedule_id);
  if (!live.ok()) {
    spdlog::warn("schedule '{}': cannot check for a live run: {}", schedule.name,
                 live.status().message());
  } else if (!live->empty()) {
    spdlog::info("schedule '{}': skipping this fire, run {} is still live", schedule.name, *live);
  } else {
    Result<std::string> started = Submit(schedule, "");
    if (started.ok()) {
      run_id = *started;
      spdlog::info("schedule '{}': started pipeline run {}", schedule.name, run_id);
    } else {
      spdlog::error("schedule '{}': cannot start its run: {}", schedule.name,
                    started.status().message());
    }
  }
  Status marked = schedules_.MarkFired(schedule.schedule_id, run_id, NextFire(schedule, now_ms));
  if (!marked.ok()) spdlog::warn("schedule '{}': {}", schedule.name, marked.message());
}

Result<std::string> Scheduler::LiveRun(const std::string& schedule_id) {
  for (pipeline::RunState state : {pipeline::RunState::kRunning, pipeline::RunState::kPending}) {
    pipeline::RunListQuery query;
    query.schedule_id = schedule_id;
    query.state = state;
    query.max_results = 1;
    KILN_ASSIGN_OR_RETURN(Page<pipeline::PipelineRunRecord> page, pipelines_.records().List(query));
    if (!page.items.empty()) return page.items.front().run_id;
  }
  return std::string();
}

Result<pipeline::Schedule> Scheduler::Create(pipeline::NewSchedule request,
                                             const std::string& peer) {
  SubmitRequest check;
  check.spec_text = request.spec;
  check.file = request.file;
  check.base_dir = request.base_dir;
  check.peer = peer;
  KILN_ASSIGN_OR_RETURN(ValidatedPipeline validated, pipelines_.Validate(check));
  request.base_dir = validated.base_dir;
  return schedules_.Create(request, now_());
}

Result<std::string> Scheduler::Submit(const pipeline::Schedule& schedule, const std::string& peer) {
  SubmitRequest request;
  request.spec_text = schedule.spec;
  request.file = schedule.file;
  request.base_dir = schedule.base_dir;
  request.overrides = schedule.overrides;
  request.schedule_id = schedule.schedule_id;
  request.peer = peer;
  KILN_ASSIGN_OR_RETURN(Submission submission, pipelines_.SubmitStored(request));
  if (submission.run_ids.empty()) return Internal("the submission started no run");
  return submission.run_ids.front();
}

Result<std::string> Scheduler::FireNow(const std::string& id_or_name, const std::string& peer) {
  MutexLock lock(fire_mu_);
  KILN_ASSIGN_OR_RETURN(pipeline::Schedule schedule, schedules_.Get(id_or_name));
  if (!schedule.allow_overlap) {
    KILN_ASSIGN_OR_RETURN(std::string live, LiveRun(schedule.schedule_id));
    if (!live.empty()) {
      return FailedPrecondition("schedule '" + schedule.name + "' still has run " + live +
                                " in progress and allow_overlap is off");
    }
  }
  KILN_ASSIGN_OR_RETURN(std::string run_id, Submit(schedule, peer));
  Status marked = schedules_.MarkFired(schedule.schedule_id, run_id, schedule.next_fire_ms);
  if (!marked.ok()) spdlog::warn("schedule '{}': {}", schedule.name, marked.message());
  return run_id;
}

}  // namespace kiln::exec
