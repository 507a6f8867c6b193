#include "exec/pending_queue.h"

#include <algorithm>
#include <utility>

namespace kiln::exec {

bool Capacity::Fits(const Demand& d) const {
  return used_.milli_cpus + d.milli_cpus <= total_.milli_cpus &&
         used_.memory_mb + d.memory_mb <= total_.memory_mb;
}

void Capacity::Take(const Demand& d) {
  used_.milli_cpus += d.milli_cpus;
  used_.memory_mb += d.memory_mb;
}

void Capacity::Release(const Demand& d) {
  used_.milli_cpus -= d.milli_cpus;
  used_.memory_mb -= d.memory_mb;
}

void PendingQueue::Push(PendingTask task) { tasks_.push_back(std::move(task)); }

std::optional<PendingTask> PendingQueue::Remove(TaskId id) {
  auto it =
      std::find_if(tasks_.begin(), tasks_.end(), [id](const PendingTask& t) { return t.id == id; });
  if (it == tasks_.end()) return std::nullopt;
  PendingTask task = std::move(*it);
  tasks_.erase(it);
  return task;
}

std::vector<PendingTask> PendingQueue::TakeAll() {
  std::vector<PendingTask> all(std::make_move_iterator(tasks_.begin()),
                               std::make_move_iterator(tasks_.end()));
  tasks_.clear();
  return all;
}

std::vector<PendingTask> PendingQueue::PopStartable(Capacity& capacity) {
  std::vector<size_t> start;
  // Tasks that did not fit, with how many tasks had started when they were passed over.
  std::vector<std::pair<size_t, size_t>> skipped;
  for (size_t i = 0; i < tasks_.size() && !capacity.Exhausted(); ++i) {
    PendingTask& task = tasks_[i];
    if (capacity.Fits(task.demand)) {
      capacity.Take(task.demand);
      start.push_back(i);
    } else if (task.bypassed >= kMaxBypass) {
      break;  // it waited long enough: nothing overtakes it any more
    } else {
      skipped.emplace_back(i, start.size());
    }
  }
  for (auto [index, started_before] : skipped) {
    tasks_[index].bypassed += static_cast<int>(start.size() - started_before);
  }
  return Extract(start);
}

std::vector<PendingTask> PendingQueue::Extract(const std::vector<size_t>& indices) {
  std::vector<PendingTask> out;
  out.reserve(indices.size());
  for (size_t i : indices) out.push_back(std::move(tasks_[i]));
  // Erase from the back so earlier indices stay valid; starts are mostly near the front,
  // where deque erasure is cheap.
  for (auto it = indices.rbegin(); it != indices.rend(); ++it) {
    tasks_.erase(tasks_.begin() + static_cast<std::ptrdiff_t>(*it));
  }
  return out;
}

}  // namespace kiln::exec
