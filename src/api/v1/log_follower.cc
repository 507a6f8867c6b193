#include "api/v1/log_follower.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace kiln::api::v1 {

namespace {

// A line without '\n' this long is handed out in pieces rather than held forever.
constexpr size_t kMaxLineBytes = 64 * 1024;

}  // namespace

std::vector<std::string> LogFollower::Poll(size_t max_bytes, bool flush) {
  std::vector<std::string> lines;
  behind_ = false;
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path_, ec);
  if (!ec && size < offset_) {  // truncated or replaced: start over
    offset_ = 0;
    partial_.clear();
  }
  if (!ec && size > offset_) {
    const uint64_t want = std::min<uint64_t>(size - offset_, max_bytes);
    std::string data(want, '\0');
    std::ifstream in(path_, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset_));
    in.read(data.data(), static_cast<std::streamsize>(want));
    data.resize(static_cast<size_t>(in.gcount()));
    offset_ += data.size();
    behind_ = offset_ < size;
    SplitLines(data, lines);
  }
  if (flush && !behind_ && !partial_.empty()) {
    lines.push_back(std::move(partial_));
    partial_.clear();
  }
  return lines;
}

void LogFollower::SplitLines(std::string_view data, std::vector<std::string>& lines) {
  size_t start = 0;
  for (size_t nl = data.find('\n'); nl != std::string_view::npos; nl = data.find('\n', start)) {
    partial_.append(data.substr(start, nl - start));
    if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
    lines.push_back(std::move(partial_));
    partial_.clear();
    start = nl + 1;
  }
  partial_.append(data.substr(start));
  while (partial_.size() >= kMaxLineBytes) {
    lines.push_back(partial_.substr(0, kMaxLineBytes));
    partial_.erase(0, kMaxLineBytes);
  }
}

}  // namespace kiln::api::v1
