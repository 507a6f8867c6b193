#include "cli/stop_signals.h"

#include <pthread.h>

namespace kiln::cli {

StopSignals::StopSignals() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

int StopSignals::Wait() const {
  int signal_number = 0;
  sigwait(&set_, &signal_number);
  return signal_number;
}

}  // namespace kiln::cli
