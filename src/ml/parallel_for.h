// ParallelFor: runs a function for each index on its own thread. Internal to ml/.
#pragma once

#include <cstddef>
#include <functional>

namespace kiln::ml {

// Calls fn(i) for every i in [0, n): i = 0 on the calling thread, the others on new threads
// (inline when a thread cannot be started). Returns when all calls have returned, then rethrows
// the first exception any call threw. `fn` must be safe to run concurrently for distinct
// indices.
void ParallelFor(size_t n, const std::function<void(size_t)>& fn);

}  // namespace kiln::ml
