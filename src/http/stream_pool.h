// StreamPool: the threads that run streamed-response producers, one per open stream, capped in
// total and per client so that a flood of streams cannot exhaust threads and one client cannot
// take every slot. Internal to http/; the Server owns one.
#pragma once

#include <functional>
#include <list>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>
#include <unordered_map>

#include "common/mutex.h"

namespace kiln::http {

class StreamPool {
 public:
  using Task = std::function<void(std::stop_token)>;

  // What TryStart did.
  enum class Started { kYes, kFull, kClientFull, kStopped };

  StreamPool(int max_streams, int max_per_client)
      : max_streams_(max_streams), max_per_client_(max_per_client) {}
  // Stops and joins every thread.
  ~StreamPool() { StopAll(); }

  // Runs `task` for `client` (a ClientKey) on a new thread, unless `max_streams` tasks are
  // still running (kFull) or `max_per_client` of that client's (kClientFull); then drops
  // `task`. The task should return soon after its stop token fires. Thread-safe.
  Started TryStart(const std::string& client, Task task);
  // Asks every task to stop and joins all threads; later TryStart calls fail. Thread-safe.
  void StopAll();
  // Tasks still running. Thread-safe.
  int active() const;

 private:
  struct Worker {
    std::jthread thread;
    std::string client;
    bool done = false;  // guarded by the pool's mu_ (a nested struct cannot name it)
  };
  // Joins the threads of tasks that returned.
  void ReapLocked() REQUIRES(mu_);

  const int max_streams_;
  const int max_per_client_;
  mutable Mutex mu_;
  std::list<Worker> workers_ GUARDED_BY(mu_);
  int running_ GUARDED_BY(mu_) = 0;
  std::unordered_map<std::string, int> running_per_client_ GUARDED_BY(mu_);
  bool stopped_ GUARDED_BY(mu_) = false;
};

}  // namespace kiln::http
