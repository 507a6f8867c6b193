// The state behind a RequestLog, shared by its .cc files. Internal to RequestLog.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "serving/feedback_record.h"
#include "serving/log_file.h"
#include "serving/mapped_segment.h"
#include "serving/request_index.h"
#include "serving/request_log.h"

namespace kiln::serving {

// One segment file and what Query needs to skip it.
struct SegmentInfo {
  uint32_t number = 0;
  std::string path;
  uint64_t bytes = 0;  // complete lines only
  int64_t max_time_ms = INT64_MIN;
  std::unordered_set<std::string> deployments;
};

// Feedback sums of one model version.
struct QualityTotals {
  bool regressor = false;
  int64_t requests = 0, rows = 0, correct = 0;
  double squared_error = 0, absolute_error = 0;
};

struct RequestLog::State {
  std::string dir;
  RequestLogOptions options;
  std::optional<FileLock> lock;  // on <dir>/LOCK: one RequestLog per directory

  mutable std::mutex mu;                // guards everything below
  std::vector<SegmentInfo> segments;    // oldest first; the last is being appended to
  std::optional<MappedSegment> active;  // the last segment
  std::optional<AppendOnlyFile> feedback;
  RequestIndex index{0};
  // deployment -> (model, version) -> sums
  std::map<std::string, std::map<std::pair<std::string, int64_t>, QualityTotals>> quality;
  size_t skipped_lines = 0;
  uint64_t torn_bytes = 0;

  // Path of segment `number` in `dir`.
  std::string SegmentPath(uint32_t number) const;
  // Maps segment `number` (creating it) with room for at least `capacity` bytes and makes it
  // the active one. Requires mu (or sole ownership).
  Status StartSegment(uint32_t number, uint64_t capacity);
  // Makes room in the active segment for a record of `bytes`, starting the next segment if it
  // is full (a record larger than a segment gets one of its own). Requires mu.
  Status MakeRoom(uint64_t bytes);
  // Notes a request line appended to the active segment at `offset`. Requires mu.
  void NoteRequest(std::string_view request_id, int64_t time_ms, const std::string& deployment,
                   uint64_t offset, uint64_t length);
  // Adds a feedback's score to the quality sums and marks its request. Requires mu.
  void NoteFeedback(const FeedbackRecord& record);
};

}  // namespace kiln::serving
