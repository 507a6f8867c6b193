#include "exec/planning_gate.h"

namespace kiln::exec {

std::optional<PlanningGate::Ticket> PlanningGate::TryEnter() {
  const Clock::time_point now = Clock::now();
  MutexLock lock(mu_);
  if (busy_ || now < free_at_) return std::nullopt;
  busy_ = true;
  return Ticket(this, now);
}

void PlanningGate::Leave(Clock::time_point started) {
  const Clock::time_point now = Clock::now();
  MutexLock lock(mu_);
  busy_ = false;
  free_at_ = now + (now - started);
}

}  // namespace kiln::exec
