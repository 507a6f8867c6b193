// The state behind a RequestLog, shared by its .cc files. Internal to RequestLog.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/mutex.h"
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

  // Notes a line of `length` bytes (without '\n') at `offset`.
  void Note(int64_t time_ms, const std::string& deployment, uint64_t offset, uint64_t length);
};

// Feedback sums of one model version.
struct QualityTotals {
  bool regressor = false;
  int64_t requests = 0, rows = 0, correct = 0;
  double squared_error = 0, absolute_error = 0;
};

// A writer lane: a segment of its own and an index of its requests, behind a mutex of its own.
// Appends pick a free lane, so the I/O threads settle on one each and never wait for one
// another (a thread preempted mid-append stalls only its own lane). Lock order: a lane's mu,
// then State::mu; never two lanes' at once.
struct WriterLane {
  Mutex mu;
  std::optional<MappedSegment> active GUARDED_BY(mu);  // empty until the lane's first append
  SegmentInfo info GUARDED_BY(mu);                     // of `active`
  // Requests this lane appended (the first lane: also replayed).
  RequestIndex index GUARDED_BY(mu){0};
};

struct RequestLog::State {
  std::string dir;
  RequestLogOptions options;
  std::optional<FileLock> lock;                    // on <dir>/LOCK: one RequestLog per directory
  std::vector<std::unique_ptr<WriterLane>> lanes;  // fixed at Open

  mutable Mutex mu;
  // Segments no lane appends to any more.
  std::vector<SegmentInfo> segments GUARDED_BY(mu);
  uint32_t next_segment GUARDED_BY(mu) = 1;  // number of the next segment to start
  std::optional<AppendOnlyFile> feedback GUARDED_BY(mu);
  // deployment -> (model, version) -> sums
  std::map<std::string, std::map<std::pair<std::string, int64_t>, QualityTotals>> quality
      GUARDED_BY(mu);
  size_t skipped_lines GUARDED_BY(mu) = 0;
  uint64_t torn_bytes GUARDED_BY(mu) = 0;

  // Path of segment `number` in `dir`.
  std::string SegmentPath(uint32_t number) const;
  // The lane for the calling thread's append, returned with its mu held by the caller: the one
  // it used last if free, else any free one, else (all busy) its own once free.
  WriterLane& LockLane();
  // Makes room in `lane`'s segment for a record of `bytes`, starting the lane's next segment
  // if it has none or it is full (a record larger than a segment gets one of its own).
  Status MakeRoom(WriterLane& lane, uint64_t bytes) REQUIRES(lane.mu) EXCLUDES(mu);
  // Every segment: the finished ones and the lanes' (takes the locks in order).
  std::vector<SegmentInfo> AllSegments() const;
  // Index hits for `request_id` in every lane (takes each lane's mu in turn).
  std::vector<IndexHit> FindIndexed(std::string_view request_id) const;
  // Requests indexed over all lanes.
  size_t IndexedCount() const;
  // Adds a feedback's score to the quality sums.
  void AddQuality(const FeedbackRecord& record) REQUIRES(mu);
  // Records `record` (whose feedback.jsonl line is `line`) once, under the lane that indexes its
  // request: appends the line, adds the score and marks the request. Errors: kAlreadyExists;
  // kNotFound if no lane indexes the request any more; kInternal for I/O. Takes the locks.
  Status RecordFeedback(const FeedbackRecord& record, std::string_view line);
  // Replays `record` read from feedback.jsonl: adds the score and marks its request. Takes mu.
  void ReplayFeedback(const FeedbackRecord& record);

 private:
  Status StartSegment(WriterLane& lane, uint64_t capacity) REQUIRES(lane.mu) EXCLUDES(mu);
};

}  // namespace kiln::serving
