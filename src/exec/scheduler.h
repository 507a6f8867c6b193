// Scheduler: one background thread that starts the pipeline runs of due schedules
// (pipeline/schedule_records.h) through PipelineService, and "run now" for a schedule.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "common/mutex.h"
#include "common/status.h"
#include "exec/pipeline_service.h"
#include "pipeline/schedule_records.h"
#include "store/meta_store.h"

namespace kiln::exec {

struct SchedulerOptions {
  std::chrono::milliseconds tick{1000};  // how often the thread looks for due schedules
  std::function<int64_t()> now;          // ms since the epoch (UTC); empty: the wall clock
};

class Scheduler {
 public:
  // `store` and `pipelines` must outlive the scheduler. Does not start the thread.
  Scheduler(store::MetaStore& store, PipelineService& pipelines, SchedulerOptions options = {});
  // Stops the thread (see Stop).
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Starts the background thread, which calls Tick every `tick`; no-op if already started.
  // Thread-safe.
  void Start();
  // Wakes and joins the thread promptly (a fire in progress finishes first); runs already
  // started keep running. Idempotent; thread-safe.
  void Stop();

  // Fires every due schedule once: starts its run (skipped, and logged, while its previous run is
  // PENDING or RUNNING unless allow_overlap) and moves next_fire_ms to the first cron minute
  // after now, so fires missed while down collapse into one. Submission and storage errors are
  // logged, never returned or thrown. Thread-safe (fires are serialized).
  void Tick();
  // Starts a run of the schedule now (also when disabled); next_fire_ms is unchanged. Returns
  // the run id. `peer` is who asks (see SubmitRequest::peer). Errors: kNotFound,
  // kFailedPrecondition (a previous run is live and allow_overlap is off), kInvalidArgument (the
  // pipeline no longer resolves), kPermissionDenied as PipelineService::SubmitStored, kInternal.
  // Thread-safe.
  Result<std::string> FireNow(const std::string& id_or_name, const std::string& peer = "");
  // Checks the schedule's pipeline as PipelineService::Validate does for `peer` (an empty
  // base_dir becomes the default folder, a network client's must lie in the pipeline roots and
  // may be refused commands), then stores it (ScheduleRecords::Create). Its fires run as the
  // server, so this is where a network client's schedule is checked. Errors: as Validate, then
  // as ScheduleRecords::Create; nothing is stored on error. Thread-safe.
  Result<pipeline::Schedule> Create(pipeline::NewSchedule request, const std::string& peer);

  // The stored schedules. Thread-safe.
  pipeline::ScheduleRecords& schedules() { return schedules_; }
  // The scheduler's clock, in ms since the epoch. Thread-safe.
  int64_t Now() const { return now_(); }

 private:
  void Loop();
  void FireDue(const pipeline::Schedule& schedule, int64_t now_ms);
  // The id of a PENDING or RUNNING run of the schedule; "" when none.
  Result<std::string> LiveRun(const std::string& schedule_id);
  Result<std::string> Submit(const pipeline::Schedule& schedule, const std::string& peer);

  PipelineService& pipelines_;
  pipeline::ScheduleRecords schedules_;
  std::chrono::milliseconds tick_;
  std::function<int64_t()> now_;

  Mutex fire_mu_;  // serializes Tick and FireNow so one fire is never counted twice

  Mutex mu_;
  std::condition_variable wake_;
  bool stop_ GUARDED_BY(mu_) = false;
  std::thread thread_ GUARDED_BY(mu_);
};

}  // namespace kiln::exec
