// Identifiers and time.
#pragma once

#include <cstdint>
#include <string>

namespace kiln {

// 32 lowercase hex characters from a cryptographic random source (like MLflow's run ids).
// Thread-safe.
std::string NewHexId();

// Milliseconds since the Unix epoch, wall clock. Thread-safe.
int64_t NowMillis();

}  // namespace kiln
