#include "ml/parallel_for.h"

#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace kiln::ml {

void ParallelFor(size_t n, const std::function<void(size_t)>& fn) {
  // An exception on a worker would terminate the process; carry it to the caller instead.
  std::vector<std::exception_ptr> errors(n);
  auto run = [&](size_t i) {
    try {
      fn(i);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  for (size_t i = 1; i < n; ++i) {
    try {
      workers.emplace_back(run, i);
    } catch (const std::system_error&) {
      run(i);  // no thread available: run it here rather than fail
    }
  }
  if (n > 0) run(0);
  for (std::thread& t : workers) t.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace kiln::ml
