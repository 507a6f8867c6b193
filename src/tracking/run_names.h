// Generated run names, MLflow style: "<adjective>-<noun>-<number>", e.g. "brave-owl-417".
#pragma once

#include <string>

namespace kiln::tracking {

// A new random run name. Thread-safe.
std::string GenerateRunName();

}  // namespace kiln::tracking
