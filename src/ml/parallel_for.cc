#include "ml/parallel_for.h"

#include <system_error>
#include <thread>
#include <vector>

namespace kiln::ml {

void ParallelFor(size_t n, const std::function<void(size_t)>& fn) {
  std::vector<std::thread> workers;
  for (size_t i = 1; i < n; ++i) {
    try {
      workers.emplace_back(fn, i);
    } catch (const std::system_error&) {
      fn(i);  // no thread available: run it here rather than fail
    }
  }
  if (n > 0) fn(0);
  for (std::thread& t : workers) t.join();
}

}  // namespace kiln::ml
