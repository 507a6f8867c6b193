// How the long-running commands (`kiln server`, `kiln serve`) stop: SIGINT and SIGTERM are
// blocked in every thread and taken by one sigwait, so a signal never lands inside a worker.
#pragma once

#include <signal.h>

namespace kiln::cli {

class StopSignals {
 public:
  // Blocks SIGINT and SIGTERM for this thread and the threads it starts later, and ignores
  // SIGPIPE (a closed connection is an error code, not a death). Call before starting threads.
  StopSignals();
  // Waits for SIGINT or SIGTERM; returns its number.
  int Wait() const;

 private:
  sigset_t set_;
};

}  // namespace kiln::cli
