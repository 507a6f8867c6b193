// Executor: runs pipeline steps as child processes, within a capacity of CPUs and memory.
// Implementations: local processes (local_executor.h); later Slurm and Kubernetes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace kiln::exec {

// What to run and what it occupies while running. A plain value, copied into the executor.
struct ProcessSpec {
  std::vector<std::string> argv;           // argv[0] is looked up in PATH when it has no '/'
  std::map<std::string, std::string> env;  // set on top of the parent's environment
  std::string working_dir;                 // must exist; "" = the parent's
  std::string log_path;    // stdout and stderr both appended here (created, 0644); "" = discarded
  double cpus = 1;         // capacity the process occupies while it runs
  int64_t memory_mb = 0;   // memory it reserves; 0 = none
  int64_t timeout_ms = 0;  // 0 = none
};

// How a task ended.
enum class Outcome { kSucceeded, kFailed, kTimedOut, kCancelled, kStartFailed };

// Lower-case name of an outcome: "succeeded", "failed", "timed_out", "cancelled",
// "start_failed". Never fails; thread-safe.
const char* OutcomeName(Outcome outcome);

// The end of one task, as handed to its done callback.
struct ProcessResult {
  Outcome outcome = Outcome::kFailed;
  int exit_code = -1;                    // when it exited
  int signal = 0;                        // when a signal ended it
  int64_t started_ms = 0, ended_ms = 0;  // wall clock, ms since epoch (0 if never started)
  // "exit code 3", "killed by signal 9 (SIGKILL)", "timed out after 2.0 s",
  // "cannot start 'nope': No such file or directory", "cancelled".
  std::string message;
};

using TaskId = uint64_t;

// A queue of processes that start when capacity allows. All methods are thread-safe and
// may be called from inside a done callback.
class Executor {
 public:
  using DoneFn = std::function<void(TaskId, const ProcessResult&)>;
  virtual ~Executor() = default;
  // Queues the process; it starts when capacity allows (FIFO among those that fit). `done`
  // runs exactly once, on an executor thread, after the process ended (or was cancelled
  // before starting); it must not destroy the executor. Errors: kInvalidArgument for an
  // empty argv, cpus <= 0, negative memory or timeout, or cpus/memory above the executor's
  // whole capacity (the message says both numbers); kFailedPrecondition once the executor
  // is shutting down (done is then never called).
  virtual Result<TaskId> Submit(ProcessSpec spec, DoneFn done) = 0;
  // Cancels a queued task (done gets kCancelled, never started) or a running one: SIGTERM
  // to its whole process group, SIGKILL after the grace period; done gets kCancelled.
  // Unknown or finished ids are ignored.
  virtual void Cancel(TaskId id) = 0;
  // Cancels everything queued or running.
  virtual void CancelAll() = 0;
};

}  // namespace kiln::exec
