#include "exec/planning_gate.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace kiln::exec {
namespace {

using std::chrono::milliseconds;

TEST(PlanningGateTest, OneAtATimeThenRestsAsLongAsItRan) {
  PlanningGate gate;
  {
    std::optional<PlanningGate::Ticket> first = gate.TryEnter();
    ASSERT_TRUE(first.has_value());
    EXPECT_FALSE(gate.TryEnter().has_value());  // busy
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_FALSE(gate.TryEnter().has_value());  // resting for about 50 ms
  std::this_thread::sleep_for(milliseconds(80));
  EXPECT_TRUE(gate.TryEnter().has_value());
}

TEST(PlanningGateTest, AMovedTicketLeavesOnce) {
  PlanningGate gate;
  {
    std::optional<PlanningGate::Ticket> ticket = gate.TryEnter();
    ASSERT_TRUE(ticket.has_value());
    PlanningGate::Ticket moved(std::move(*ticket));
    ticket.reset();  // the moved-from ticket does not leave
    EXPECT_FALSE(gate.TryEnter().has_value());
  }
  std::this_thread::sleep_for(milliseconds(5));
  EXPECT_TRUE(gate.TryEnter().has_value());
}

}  // namespace
}  // namespace kiln::exec
