#include "exec/pending_queue.h"

#include <gtest/gtest.h>

#include <vector>

namespace kiln::exec {
namespace {

PendingTask Task(TaskId id, int64_t milli_cpus) {
  PendingTask task;
  task.id = id;
  task.demand = Demand{milli_cpus, 0};
  return task;
}

std::vector<TaskId> Ids(const std::vector<PendingTask>& tasks) {
  std::vector<TaskId> ids;
  for (const PendingTask& t : tasks) ids.push_back(t.id);
  return ids;
}

TEST(PendingQueueTest, StartsInOrderWhatFits) {
  Capacity capacity(Demand{2000, 100});
  PendingQueue queue;
  queue.Push(Task(1, 1000));
  queue.Push(Task(2, 2000));
  queue.Push(Task(3, 1000));
  queue.Push(Task(4, 1000));
  EXPECT_EQ(Ids(queue.PopStartable(capacity)), (std::vector<TaskId>{1, 3}));
  EXPECT_TRUE(capacity.Exhausted());
  EXPECT_TRUE(queue.PopStartable(capacity).empty());
  capacity.Release(Demand{1000, 0});
  EXPECT_EQ(Ids(queue.PopStartable(capacity)), (std::vector<TaskId>{4}));
  capacity.Release(Demand{2000, 0});
  EXPECT_EQ(Ids(queue.PopStartable(capacity)), (std::vector<TaskId>{2}));
  EXPECT_TRUE(queue.empty());
}

TEST(PendingQueueTest, MemoryLimitsToo) {
  Capacity capacity(Demand{4000, 100});
  PendingQueue queue;
  PendingTask big = Task(1, 1000);
  big.demand.memory_mb = 80;
  queue.Push(big);
  big.id = 2;
  queue.Push(big);
  EXPECT_EQ(Ids(queue.PopStartable(capacity)), (std::vector<TaskId>{1}));
  EXPECT_EQ(queue.size(), 1u);
}

TEST(PendingQueueTest, BigTaskIsNotStarvedForever) {
  Capacity capacity(Demand{2000, 0});
  PendingQueue queue;
  queue.Push(Task(1, 1000));
  ASSERT_EQ(Ids(queue.PopStartable(capacity)), (std::vector<TaskId>{1}));
  queue.Push(Task(2, 2000));  // waits for task 1; small tasks keep arriving behind it
  TaskId next = 3;
  int overtaken = 0;
  for (int round = 0; round < 3 * kMaxBypass; ++round) {
    queue.Push(Task(next++, 1000));
    std::vector<TaskId> started = Ids(queue.PopStartable(capacity));
    if (started.empty()) break;
    ASSERT_EQ(started.size(), 1u);
    ASSERT_NE(started[0], 2u);
    ++overtaken;
    capacity.Release(Demand{1000, 0});  // the previous small task ends
  }
  EXPECT_EQ(overtaken, kMaxBypass);
  capacity.Release(Demand{1000, 0});  // the last small task ends: the big one starts
  EXPECT_EQ(Ids(queue.PopStartable(capacity)), (std::vector<TaskId>{2}));
}

TEST(PendingQueueTest, RemoveAndTakeAll) {
  PendingQueue queue;
  queue.Push(Task(1, 1000));
  queue.Push(Task(2, 1000));
  queue.Push(Task(3, 1000));
  EXPECT_FALSE(queue.Remove(9).has_value());
  EXPECT_EQ(queue.Remove(2)->id, 2u);
  EXPECT_EQ(Ids(queue.TakeAll()), (std::vector<TaskId>{1, 3}));
  EXPECT_TRUE(queue.empty());
}

}  // namespace
}  // namespace kiln::exec
