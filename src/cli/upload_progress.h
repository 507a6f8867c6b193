// A live "uploading 1.2 GiB of 3.4 GiB" line for large uploads on a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace kiln::cli {

// Not thread-safe. Prints nothing when `out` is null or `total` is 64 MiB or less.
class UploadProgress {
 public:
  UploadProgress(std::FILE* out, int64_t total);
  // Shows `sent` of `total` bytes, at most ten times a second; ends the line once all is sent.
  void Show(int64_t sent, int64_t total);

 private:
  std::FILE* out_;
  bool done_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace kiln::cli
