// RequestLog: the durable log of a server's answered prediction requests, and the feedback
// (the truth that arrives later) joined to them, with live quality per model version.
//
// Files under the log's directory (see docs/serving.md, "Request log"):
//   requests-NNNNNNNN.jsonl  segments of JSON lines, one per request, rolled by size; each
//                            writer lane (one per core, up to 4) fills its own;
//   feedback.jsonl           JSON lines, one per feedback, with its score.
// A request record is copied into its lane's segment through a shared memory mapping under the
// lane's lock (no system call; see mapped_segment.h); a feedback record is one write(2). Records
// never interleave, and an acknowledged record survives a kill -9 (not a power loss: there is
// no fsync). What a kill leaves after the last whole record is cut off when the log is next
// opened.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "serving/request_id.h"
#include "serving/request_record.h"

namespace kiln::serving {

// Tuning of a RequestLog. Plain value.
struct RequestLogOptions {
  // A segment file is closed and a new one started once a record would take it past this
  // size (a record larger than this gets a segment of its own). At most 1 GiB.
  uint64_t segment_bytes = uint64_t{64} << 20;
  // Feedback can be given for the most recent this-many requests of each writer lane; older
  // ones answer kNotFound. The index costs about 48 bytes per request: ~48 MB per lane in use.
  size_t max_indexed_requests = 1'000'000;
};

// Live quality of one model version of a deployment, from all feedback so far.
struct VersionQuality {
  std::string model;
  int64_t version = 0;
  bool regressor = false;  // from the predictions: numbers make a regressor
  int64_t requests = 0;    // requests that got feedback
  int64_t rows = 0;        // rows that got feedback
  int64_t correct = 0;     // classifiers: rows predicted right
  double accuracy = 0;     // classifiers: correct / rows
  double rmse = 0;         // regressors: root mean squared error over rows
  double mae = 0;          // regressors: mean absolute error over rows
};

// Counters about the log, for /metrics and tests.
struct RequestLogStats {
  size_t segments = 0;          // segment files
  uint64_t bytes = 0;           // bytes in segment files
  size_t indexed_requests = 0;  // requests that can still take feedback
  size_t skipped_lines = 0;     // unreadable lines skipped when opening (not torn tails)
  uint64_t torn_bytes = 0;      // bytes of torn records cut off when opening
};

// The request log of a server. Owns its files' descriptors and its index. One RequestLog per
// directory: it holds an flock on <dir>/LOCK while open. All methods are thread-safe.
class RequestLog {
 public:
  // Opens the log under `dir`, creating the directory if needed, replaying the segments and
  // the feedback (reads every file once: ~270,000 records per second). Cuts torn tails off; skips
  // and counts unreadable lines. Errors: kInvalidArgument for bad options; kFailedPrecondition if
  // the log is already open (in this or another process); kInternal for I/O.
  static Result<std::unique_ptr<RequestLog>> Open(const std::string& dir,
                                                  RequestLogOptions options = {});
  ~RequestLog();

  // Appends `request`; once it returns OK the record survives a kill of the process. Cheap
  // (a copy of one JSON line into mapped memory under a short lock, no system call except when
  // a segment fills); for the hot path of every prediction.
  // Precondition: inputs_json and outputs_json are serialized JSON (not re-validated here).
  // Errors: kInvalidArgument naming the field (bad request id, empty deployment, names not
  // UTF-8); kInternal for I/O (nothing is then logged).
  Status Append(const LoggedRequest& request);

  // Requests of `deployment` answered at or after `since_ms`: the newest `limit` of them,
  // returned oldest first (so a tail of the log; limit 0 gives none). Reads only segments that
  // hold the deployment and reach `since_ms`. Errors: kInternal for I/O.
  Result<std::vector<LoggedRequest>> Query(const std::string& deployment, int64_t since_ms,
                                           size_t limit) const;

  // Joins the truth `labels_json` to request `request_id` of `deployment` (see ScoreFeedback
  // for the labels' form), records it durably (like Append) and updates the quality of the
  // version that answered. Errors: kNotFound (no such request for this deployment, or older
  // than the indexed ones); kAlreadyExists (feedback already given); kInvalidArgument (labels
  // not JSON, wrong count or kind); kFailedPrecondition (logged outputs have no prediction);
  // kInternal for I/O. All name the request id.
  Status AddFeedback(const std::string& deployment, const std::string& request_id,
                     const std::string& labels_json);

  // Quality per model version of `deployment` from all feedback so far (kept across
  // restarts), ordered by model then version; empty if none.
  std::vector<VersionQuality> Quality(const std::string& deployment) const;

  // Current counters.
  RequestLogStats Stats() const;

  // Internal: the log's state, defined in request_log_state.h for the log's own .cc files.
  struct State;

 private:
  explicit RequestLog(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace kiln::serving
