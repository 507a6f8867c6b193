// Test-only: collects an Executor's done callbacks and lets a test wait for them. Included by
// the executor tests; not part of the library.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

#include "exec/executor.h"

namespace kiln::exec {

class Waiter {
 public:
  // Waits give up after `patience` (generous: the test machines are shared and loaded).
  explicit Waiter(std::chrono::seconds patience) : patience_(patience) {}

  Executor::DoneFn Callback() {
    return [this](TaskId id, const ProcessResult& result) {
      std::lock_guard lock(mu_);
      results_[id] = result;
      ++calls_[id];
      cv_.notify_all();
    };
  }
  // The result of `id`; fails the test if it does not come in time.
  ProcessResult Wait(TaskId id) {
    std::unique_lock lock(mu_);
    bool done = cv_.wait_for(lock, patience_, [&] { return results_.count(id) > 0; });
    EXPECT_TRUE(done) << "task " << id << " did not finish";
    return done ? results_[id] : ProcessResult{};
  }
  // Waits until `n` distinct tasks finished.
  bool WaitCount(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, patience_, [&] { return results_.size() >= n; });
  }
  bool Finished(TaskId id) {
    std::lock_guard lock(mu_);
    return results_.count(id) > 0;
  }
  // How often done ran for each task, and for one.
  std::map<TaskId, int> Calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  int Calls(TaskId id) {
    std::lock_guard lock(mu_);
    return calls_[id];
  }

 private:
  const std::chrono::seconds patience_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<TaskId, ProcessResult> results_;
  std::map<TaskId, int> calls_;
};

}  // namespace kiln::exec
