// StreamPool: the threads that run streamed-response producers, one per open stream, capped
// so that a flood of clients cannot exhaust threads. Internal to http/; the Server owns one.
#pragma once

#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

namespace kiln::http {

class StreamPool {
 public:
  using Task = std::function<void(std::stop_token)>;

  explicit StreamPool(int max_streams) : max_streams_(max_streams) {}
  // Stops and joins every thread.
  ~StreamPool() { StopAll(); }

  // Runs `task` on a new thread unless `max_streams` tasks are still running (then returns
  // false and drops `task`). The task should return soon after its stop token fires.
  // Thread-safe.
  bool TryStart(Task task);
  // Asks every task to stop and joins all threads; later TryStart calls fail. Thread-safe.
  void StopAll();
  // Tasks still running. Thread-safe.
  int active() const;

 private:
  struct Worker {
    std::jthread thread;
    bool done = false;  // guarded by mu_
  };
  // Joins the threads of tasks that returned. Needs mu_ held.
  void ReapLocked();

  const int max_streams_;
  mutable std::mutex mu_;  // guards everything below
  std::list<Worker> workers_;
  int running_ = 0;
  bool stopped_ = false;
};

}  // namespace kiln::http
