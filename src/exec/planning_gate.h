// PlanningGate: admits one large planning job at a time and, after each, rests for as long as
// it ran. Planning runs on the server thread that answers the request, and a connection stays
// on its thread, so back-to-back large plans would stall every other client of that thread;
// with the gate they take at most half of the time, and a request waits for at most one.
#pragma once

#include <chrono>
#include <optional>

#include "common/mutex.h"

namespace kiln::exec {

class PlanningGate {
 public:
  using Clock = std::chrono::steady_clock;

  // Held while a job plans; leaving (destruction) starts the rest. Move-only.
  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept : gate_(other.gate_), started_(other.started_) {
      other.gate_ = nullptr;
    }
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (gate_ != nullptr) gate_->Leave(started_);
    }

   private:
    friend class PlanningGate;
    Ticket(PlanningGate* gate, Clock::time_point started) : gate_(gate), started_(started) {}
    PlanningGate* gate_;
    Clock::time_point started_;
  };

  // A ticket, or nullopt while another job holds one or the gate rests. Thread-safe.
  std::optional<Ticket> TryEnter();

 private:
  void Leave(Clock::time_point started);

  Mutex mu_;
  bool busy_ GUARDED_BY(mu_) = false;
  Clock::time_point free_at_ GUARDED_BY(mu_);
};

}  // namespace kiln::exec
