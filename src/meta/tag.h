// Tags and the name rule MLflow applies to every metric, param and tag key; shared by
// tracking and the model registry. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "common/status.h"

namespace kiln::meta {

// A key-value pair on an experiment, run, registered model or model version.
struct Tag {
  std::string key;
  std::string value;
};

inline constexpr size_t kMaxKeyLength = 250;

// `what` is "metric", "param" or "tag": letters, digits, _ - . space /, no path tricks, at
// most kMaxKeyLength bytes. Errors: kInvalidArgument naming the key, phrased like MLflow's.
Status ValidateKey(const std::string& what, const std::string& key);

// OK when `value` has at most `limit` bytes. Errors: kInvalidArgument "<what> '<start>...' had
// length N, which exceeded length limit of L".
Status CheckLength(const std::string& what, const std::string& value, size_t limit);

}  // namespace kiln::meta
