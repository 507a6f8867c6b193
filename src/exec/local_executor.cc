#include "exec/local_executor.h"

#include <fmt/format.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <map>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "common/ids.h"
#include "common/mutex.h"
#include "exec/child_process.h"
#include "exec/pending_queue.h"
#include "exec/task_outcome.h"

namespace kiln::exec {
namespace {

using Clock = std::chrono::steady_clock;

// A task that has left the queue: being started, or running.
struct RunningTask {
  PendingTask task;
  std::unique_ptr<ChildProcess> child;  // null while the monitor is starting it
  int64_t started_ms = 0;
  std::optional<Clock::time_point> deadline;  // from spec.timeout_ms
  bool cancel_requested = false;
  StopReason reason = StopReason::kNone;  // set when the monitor sent SIGTERM
  Clock::time_point kill_at;              // when SIGKILL follows, once reason is set
  bool killed = false;
};

// A task whose done callback is due.
struct FinishedTask {
  TaskId id = 0;
  Executor::DoneFn done;
  ProcessResult result;
};

int64_t PhysicalMemoryMb() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return INT64_MAX / 2;
  return static_cast<int64_t>(pages) * page_size / (1024 * 1024);
}

Demand TotalCapacity(const LocalExecutorOptions& options) {
  double cpus = options.cpus;
  if (!(cpus > 0)) cpus = std::max(1u, std::thread::hardware_concurrency());
  int64_t memory_mb = options.memory_mb > 0 ? options.memory_mb : PhysicalMemoryMb();
  return Demand{std::llround(cpus * 1000), memory_mb};
}

// What `spec` occupies, after checking it against the executor's whole capacity.
Result<Demand> DemandOf(const ProcessSpec& spec, const Demand& total) {
  if (spec.argv.empty() || spec.argv[0].empty()) {
    return InvalidArgument("argv is empty: nothing to run");
  }
  if (!(spec.cpus > 0) || !std::isfinite(spec.cpus)) {
    return InvalidArgument(fmt::format("cpus must be > 0, got {}", spec.cpus));
  }
  if (spec.memory_mb < 0) return InvalidArgument("memory_mb must be >= 0");
  if (spec.timeout_ms < 0) return InvalidArgument("timeout_ms must be >= 0");
  Demand demand{std::max<int64_t>(1, std::llround(spec.cpus * 1000)), spec.memory_mb};
  if (demand.milli_cpus > total.milli_cpus) {
    return InvalidArgument(fmt::format("task needs {} cpus but the executor has {} in all",
                                       spec.cpus, total.milli_cpus / 1000.0));
  }
  if (demand.memory_mb > total.memory_mb) {
    return InvalidArgument(fmt::format("task needs {} MB of memory but the executor has {} MB",
                                       demand.memory_mb, total.memory_mb));
  }
  return demand;
}

class LocalExecutor final : public Executor {
 public:
  LocalExecutor(Demand total, int64_t kill_grace_ms);
  ~LocalExecutor() override;
  Result<TaskId> Submit(ProcessSpec spec, DoneFn done) override;
  void Cancel(TaskId id) override;
  void CancelAll() override;

 private:
  using RunningMap = std::map<TaskId, RunningTask>;

  // The monitor thread: one pass runs callbacks, starts what fits, signals what must stop
  // and then sleeps until a child exits, a deadline passes or a caller wakes it.
  void Run();
  void StartQueued();
  void Launch(TaskId id, RunningTask& task);
  void EnforceStops();
  void BeginStop(RunningTask& task, StopReason reason, Clock::time_point now);
  void DeliverFinished();
  bool ShouldExit();
  void WaitAndReap();
  int PollTimeoutMsLocked(Clock::time_point now) const REQUIRES(state_.mu);
  void ReapLocked(TaskId id) REQUIRES(state_.mu);
  void FinishLocked(RunningMap::iterator it, ProcessResult result) REQUIRES(state_.mu);
  void Wake() const;

  const Demand total_;
  const std::chrono::milliseconds kill_grace_;
  const int wake_fd_;  // eventfd the monitor polls; -1 if it could not be created

  // Everything shared between callers and the monitor. Only the monitor erases from
  // `running` or touches a RunningTask's spec and child.
  struct State {
    explicit State(Demand total) : capacity(total) {}
    mutable Mutex mu;
    Capacity capacity GUARDED_BY(mu);
    PendingQueue queue GUARDED_BY(mu);
    RunningMap running GUARDED_BY(mu);
    std::vector<FinishedTask> finished GUARDED_BY(mu);
    TaskId next_id GUARDED_BY(mu) = 1;
    bool stopping GUARDED_BY(mu) = false;
  } state_;

  std::thread monitor_;
};

LocalExecutor::LocalExecutor(Demand total, int64_t kill_grace_ms)
    : total_(total),
      kill_grace_(std::max<int64_t>(0, kill_grace_ms)),
      wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      state_(total) {
  if (wake_fd_ < 0) {
    spdlog::error("local executor: eventfd failed; every submit will fail");
    return;
  }
  monitor_ = std::thread([this] { Run(); });
}

LocalExecutor::~LocalExecutor() {
  if (wake_fd_ < 0) return;
  {
    MutexLock lock(state_.mu);
    state_.stopping = true;
  }
  CancelAll();
  monitor_.join();
  close(wake_fd_);
}

Result<TaskId> LocalExecutor::Submit(ProcessSpec spec, DoneFn done) {
  if (wake_fd_ < 0) return Internal("local executor is unavailable: eventfd failed");
  KILN_ASSIGN_OR_RETURN(Demand demand, DemandOf(spec, total_));
  TaskId id = 0;
  {
    MutexLock lock(state_.mu);
    if (state_.stopping) return FailedPrecondition("the executor is shutting down");
    id = state_.next_id++;
    state_.queue.Push(PendingTask{id, std::move(spec), std::move(done), demand});
  }
  Wake();
  return id;
}

void LocalExecutor::Cancel(TaskId id) {
  {
    MutexLock lock(state_.mu);
    if (std::optional<PendingTask> task = state_.queue.Remove(id)) {
      state_.finished.push_back({id, std::move(task->done), CancelledBeforeStart()});
    } else if (auto it = state_.running.find(id); it != state_.running.end()) {
      it->second.cancel_requested = true;
    } else {
      return;
    }
  }
  Wake();
}

void LocalExecutor::CancelAll() {
  {
    MutexLock lock(state_.mu);
    for (PendingTask& task : state_.queue.TakeAll()) {
      state_.finished.push_back({task.id, std::move(task.done), CancelledBeforeStart()});
    }
    for (auto& [id, task] : state_.running) task.cancel_requested = true;
  }
  Wake();
}

void LocalExecutor::Wake() const {
  uint64_t one = 1;
  ssize_t ignored = write(wake_fd_, &one, sizeof(one));  // only fails when already signalled
  (void)ignored;
}

void LocalExecutor::Run() {
  pthread_setname_np(pthread_self(), "kiln-exec");
  for (;;) {
    // Callbacks run before freed capacity is reused, so a callback that cancels queued
    // tasks (e.g. after a failed step) prevents them from starting.
    DeliverFinished();
    StartQueued();
    EnforceStops();
    if (ShouldExit()) return;
    WaitAndReap();
  }
}

void LocalExecutor::StartQueued() {
  std::vector<std::pair<TaskId, RunningTask*>> starting;
  {
    MutexLock lock(state_.mu);
    for (PendingTask& task : state_.queue.PopStartable(state_.capacity)) {
      TaskId id = task.id;
      RunningTask running;
      running.task = std::move(task);
      auto [it, inserted] = state_.running.emplace(id, std::move(running));
      starting.emplace_back(id, &it->second);
    }
  }
  for (auto& [id, task] : starting) Launch(id, *task);
}

// Spawns without the lock, so callers are not held up; `task` stays valid because only this
// thread erases running entries.
void LocalExecutor::Launch(TaskId id, RunningTask& task) {
  int64_t started_ms = NowMillis();
  Result<std::unique_ptr<ChildProcess>> child = ChildProcess::Start(task.task.spec);
  MutexLock lock(state_.mu);
  if (!child.ok()) {
    FinishLocked(state_.running.find(id), StartFailed(child.status().message()));
    return;
  }
  task.child = std::move(child).value();
  task.started_ms = started_ms;
  if (task.task.spec.timeout_ms > 0) {
    task.deadline = Clock::now() + std::chrono::milliseconds(task.task.spec.timeout_ms);
  }
}

void LocalExecutor::EnforceStops() {
  Clock::time_point now = Clock::now();
  MutexLock lock(state_.mu);
  for (auto& [id, task] : state_.running) {
    if (!task.child) continue;
    if (task.reason == StopReason::kNone) {
      if (task.cancel_requested) {
        BeginStop(task, StopReason::kCancel, now);
      } else if (task.deadline && now >= *task.deadline) {
        BeginStop(task, StopReason::kTimeout, now);
      }
    } else if (!task.killed && now >= task.kill_at) {
      task.child->SignalGroup(SIGKILL);
      task.killed = true;
    }
  }
}

void LocalExecutor::BeginStop(RunningTask& task, StopReason reason, Clock::time_point now) {
  task.reason = reason;
  task.kill_at = now + kill_grace_;
  task.child->SignalGroup(SIGTERM);
}

void LocalExecutor::DeliverFinished() {
  std::vector<FinishedTask> batch;
  {
    MutexLock lock(state_.mu);
    batch.swap(state_.finished);
  }
  for (FinishedTask& task : batch) {
    if (!task.done) continue;
    try {
      task.done(task.id, task.result);
    } catch (const std::exception& e) {
      spdlog::error("executor done callback of task {} threw: {}", task.id, e.what());
    } catch (...) {
      spdlog::error("executor done callback of task {} threw", task.id);
    }
  }
}

bool LocalExecutor::ShouldExit() {
  MutexLock lock(state_.mu);
  return state_.stopping && state_.queue.empty() && state_.running.empty() &&
         state_.finished.empty();
}

void LocalExecutor::WaitAndReap() {
  std::vector<pollfd> fds{{wake_fd_, POLLIN, 0}};
  std::vector<TaskId> ids;
  int timeout_ms = 0;
  {
    MutexLock lock(state_.mu);
    for (auto& [id, task] : state_.running) {
      if (!task.child) continue;
      fds.push_back({task.child->pidfd(), POLLIN, 0});
      ids.push_back(id);
    }
    timeout_ms = PollTimeoutMsLocked(Clock::now());
  }
  if (poll(fds.data(), fds.size(), timeout_ms) <= 0) return;  // a deadline, or EINTR
  if (fds[0].revents != 0) {
    uint64_t count = 0;
    ssize_t ignored = read(wake_fd_, &count, sizeof(count));
    (void)ignored;
  }
  MutexLock lock(state_.mu);
  for (size_t i = 1; i < fds.size(); ++i) {
    if (fds[i].revents != 0) ReapLocked(ids[i - 1]);
  }
}

// Milliseconds until the next timeout or SIGKILL escalation; -1 when there is none; 0 when
// callbacks are due (a start failure).
int LocalExecutor::PollTimeoutMsLocked(Clock::time_point now) const {
  if (!state_.finished.empty()) return 0;
  std::optional<Clock::time_point> next;
  for (const auto& [id, task] : state_.running) {
    std::optional<Clock::time_point> at;
    if (task.reason == StopReason::kNone) {
      at = task.deadline;
    } else if (!task.killed) {
      at = task.kill_at;
    }
    if (at && (!next || *at < *next)) next = at;
  }
  if (!next) return -1;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(*next - now).count();
  return static_cast<int>(std::clamp<int64_t>(ms, 0, INT_MAX));
}

void LocalExecutor::ReapLocked(TaskId id) {
  auto it = state_.running.find(id);
  std::optional<ExitInfo> exit = it->second.child->TryReap();
  if (!exit) return;
  RunningTask& task = it->second;
  ProcessResult result = Ended(*exit, task.reason, task.task.spec.timeout_ms);
  result.started_ms = task.started_ms;
  result.ended_ms = NowMillis();
  FinishLocked(it, std::move(result));
}

void LocalExecutor::FinishLocked(RunningMap::iterator it, ProcessResult result) {
  state_.capacity.Release(it->second.task.demand);
  state_.finished.push_back({it->first, std::move(it->second.task.done), std::move(result)});
  state_.running.erase(it);
}

}  // namespace

std::unique_ptr<Executor> NewLocalExecutor(const LocalExecutorOptions& options) {
  return std::make_unique<LocalExecutor>(TotalCapacity(options), options.kill_grace_ms);
}

}  // namespace kiln::exec
