// LogFollower: follows a file that grows while a process writes it (a step's log) and hands
// out its complete lines as they appear, like `tail -f`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiln::api::v1 {

// Not thread-safe; one owner.
class LogFollower {
 public:
  explicit LogFollower(std::string path) : path_(std::move(path)) {}

  // The complete lines appended since the last call, without their '\n', reading at most
  // `max_bytes`. With `flush`, a trailing partial line is returned as well. A missing file
  // gives no lines; a file that shrank is followed again from its start. Overlong lines are
  // split. Never fails: an unreadable file reads as empty.
  std::vector<std::string> Poll(size_t max_bytes, bool flush);
  // True when the last Poll stopped at `max_bytes` with more to read.
  bool behind() const { return behind_; }

 private:
  void SplitLines(std::string_view data, std::vector<std::string>& lines);

  std::string path_;
  uint64_t offset_ = 0;
  std::string partial_;  // bytes after the last '\n' read so far
  bool behind_ = false;
};

}  // namespace kiln::api::v1
