#include "http/stream_pool.h"

#include <utility>

namespace kiln::http {

StreamPool::Started StreamPool::TryStart(const std::string& client, Task task) {
  MutexLock lock(mu_);
  if (stopped_) return Started::kStopped;
  ReapLocked();
  if (running_ >= max_streams_) return Started::kFull;
  auto mine = running_per_client_.find(client);
  if (mine != running_per_client_.end() && mine->second >= max_per_client_) {
    return Started::kClientFull;
  }
  Worker& worker = workers_.emplace_back();
  worker.client = client;
  ++running_;
  ++running_per_client_[client];
  // std::list keeps `worker` at a stable address while others come and go.
  worker.thread = std::jthread([this, &worker, task = std::move(task)](std::stop_token stop) {
    task(stop);
    MutexLock done_lock(mu_);
    worker.done = true;
    --running_;
    auto count = running_per_client_.find(worker.client);
    if (count != running_per_client_.end() && --count->second <= 0) {
      running_per_client_.erase(count);
    }
  });
  return Started::kYes;
}

void StreamPool::ReapLocked() {
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (!it->done) {
      ++it;
      continue;
    }
    // The task has returned; join only waits for the thread's last instructions.
    it->thread.join();
    it = workers_.erase(it);
  }
}

void StreamPool::StopAll() {
  std::list<Worker> workers;
  {
    MutexLock lock(mu_);
    stopped_ = true;
    for (Worker& worker : workers_) worker.thread.request_stop();
    workers.swap(workers_);  // the nodes, and so each thread's `worker`, stay where they are
  }
  // Joined without the lock, which the threads take as they finish. Once stopped_, nothing
  // adds or reaps workers; Server::Stop serializes the callers.
  for (Worker& worker : workers) {
    if (worker.thread.joinable()) worker.thread.join();
  }
}

int StreamPool::active() const {
  MutexLock lock(mu_);
  return running_;
}

}  // namespace kiln::http
