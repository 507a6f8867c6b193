// PendingQueue: the tasks waiting for capacity, and the policy that picks which start next.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "exec/executor.h"

namespace kiln::exec {

// An amount of capacity: CPUs in thousandths (exact sums) and memory in MB. A task's
// milli_cpus is at least 1.
struct Demand {
  int64_t milli_cpus = 0;
  int64_t memory_mb = 0;
};

// Total and used capacity of an executor. Not thread-safe (kept under the executor's lock).
class Capacity {
 public:
  explicit Capacity(Demand total) : total_(total) {}
  const Demand& total() const { return total_; }
  // Whether `d` fits in what is free now.
  bool Fits(const Demand& d) const;
  // Whether no CPU is free (every task needs some).
  bool Exhausted() const { return used_.milli_cpus >= total_.milli_cpus; }
  // Occupies `d`; the caller checked Fits.
  void Take(const Demand& d);
  // Frees `d` taken earlier.
  void Release(const Demand& d);

 private:
  Demand total_;
  Demand used_;
};

// A submitted task that has not started.
struct PendingTask {
  TaskId id = 0;
  ProcessSpec spec;
  Executor::DoneFn done;
  Demand demand;
  int bypassed = 0;  // how many later tasks started while this one did not fit
};

// How often a waiting task may be overtaken by later, smaller ones before it blocks them.
inline constexpr int kMaxBypass = 8;

// FIFO of pending tasks with bounded backfill. Not thread-safe (kept under the executor's
// lock).
class PendingQueue {
 public:
  bool empty() const { return tasks_.empty(); }
  size_t size() const { return tasks_.size(); }
  // Appends a task at the back.
  void Push(PendingTask task);
  // Removes and returns the task `id`, or nullopt if it is not queued.
  std::optional<PendingTask> Remove(TaskId id);
  // Removes and returns all tasks, in order.
  std::vector<PendingTask> TakeAll();
  // Removes the tasks that start now and takes their capacity: in order, each task that fits
  // in what is free, except that no task overtakes one already bypassed kMaxBypass times.
  std::vector<PendingTask> PopStartable(Capacity& capacity);

 private:
  // Moves out and erases the tasks at ascending `indices`.
  std::vector<PendingTask> Extract(const std::vector<size_t>& indices);

  std::deque<PendingTask> tasks_;
};

}  // namespace kiln::exec
