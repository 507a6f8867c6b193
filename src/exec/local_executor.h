// LocalExecutor: runs tasks as child processes on this machine.
//
// Each child gets its own session and process group (setsid), stdin from /dev/null,
// stdout and stderr appended to its log, and no file descriptors of the parent beyond
// 0, 1 and 2. When the main process of a task ends, whatever it left running in its
// process group is killed (SIGKILL), so a step never leaves strays behind; a timeout or
// cancel sends SIGTERM to the whole group and SIGKILL after the grace period.
//
// Scheduling: the queue is scanned in submission order and every task that fits in the
// free capacity starts (backfill). A task that does not fit may be overtaken, but only
// kMaxBypass times (pending_queue.h); after that no later task starts before it, so big
// tasks never starve.
//
// One monitor thread spawns the children (posix_spawn), waits on their pidfds (never
// waitpid(-1), so other children of the process are left alone), applies timeouts and runs
// the done callbacks; callbacks should be quick. SIGCHLD must not be set to SIG_IGN in the
// process (the kernel would reap the children and their exit status would be lost).
#pragma once

#include <cstdint>
#include <memory>

#include "exec/executor.h"

namespace kiln::exec {

struct LocalExecutorOptions {
  double cpus = 0;               // 0 = std::thread::hardware_concurrency()
  int64_t memory_mb = 0;         // 0 = physical memory
  int64_t kill_grace_ms = 2000;  // from SIGTERM to SIGKILL on timeout or cancel
};

// A pool of child processes on this machine. The destructor cancels all tasks and waits for
// their done callbacks (it must not run inside one). Never fails: if the executor cannot set
// itself up, every Submit returns kInternal.
std::unique_ptr<Executor> NewLocalExecutor(const LocalExecutorOptions& options = {});

}  // namespace kiln::exec
