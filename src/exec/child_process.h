// ChildProcess: one running child in its own session, watched through a pidfd.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>

#include "common/status.h"
#include "exec/executor.h"

namespace kiln::exec {

// How a reaped process ended: exit_code when it exited, signal when a signal ended it.
struct ExitInfo {
  int exit_code = -1;
  int signal = 0;
};

// Owns one child process (its pid and pidfd) until it is reaped. Not thread-safe: one thread
// (the executor's monitor) uses it.
class ChildProcess {
 public:
  // Starts `spec` with posix_spawn in a new session (process group id = pid), stdin from
  // /dev/null, stdout and stderr appended to spec.log_path, no other inherited descriptors
  // and default signal handling. Errors: kFailedPrecondition with "cannot start 'PROG':
  // REASON", which is also appended to the log when the log could be opened.
  static Result<std::unique_ptr<ChildProcess>> Start(const ProcessSpec& spec);

  // Takes ownership of an unreaped child `pid` and its `pidfd`.
  ChildProcess(pid_t pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}
  // If still unreaped: SIGKILL to its group, then waits for it.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Becomes readable (POLLIN) when the process has exited.
  int pidfd() const { return pidfd_; }
  // Sends `sig` to the child's whole process group. Safe until reaped: the unreaped child
  // keeps its pid, and so the group id, from being reused.
  void SignalGroup(int sig) const;
  // Without blocking: nullopt while the child runs; once it exited, SIGKILLs whatever it left
  // in its process group, reaps it and returns how it ended.
  std::optional<ExitInfo> TryReap();

 private:
  pid_t pid_;
  int pidfd_;
  bool reaped_ = false;
};

}  // namespace kiln::exec
