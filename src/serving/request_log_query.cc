// RequestLog::Query: the newest requests of a deployment, read from the segments that can
// hold them.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <queue>
#include <tuple>

#include "serving/request_log.h"
#include "serving/request_log_state.h"

namespace kiln::serving {
namespace {

struct SegmentToRead {
  uint32_t number;
  std::string path;
  uint64_t bytes;
  int64_t max_time_ms;
};

// Lines of one millisecond come from different writer lanes' segments: their request ids
// (which sort by time, then by a per-process counter) order them.
struct Hit {
  int64_t time_ms;
  uint32_t segment;
  uint64_t offset;
  std::string line;
  auto key() const { return std::make_tuple(time_ms, LineRequestId(line), segment, offset); }
};

struct NewerFirst {  // makes the priority queue's top the oldest hit
  bool operator()(const Hit& a, const Hit& b) const { return a.key() > b.key(); }
};
using NewestHits = std::priority_queue<Hit, std::vector<Hit>, NewerFirst>;

// Adds the matching lines of one segment's `contents` to `hits`, keeping the newest `limit`.
void CollectHits(const SegmentToRead& segment, std::string_view contents,
                 std::string_view quoted_deployment, int64_t since_ms, size_t limit,
                 NewestHits& hits) {
  ForEachLine(contents, [&](std::string_view line, uint64_t offset) {
    int64_t time_ms = 0;
    if (!LineHasDeployment(line, quoted_deployment) || !LineTimeMs(line, time_ms)) return;
    if (time_ms < since_ms) return;
    if (hits.size() == limit &&
        std::make_tuple(time_ms, LineRequestId(line), segment.number, offset) <= hits.top().key()) {
      return;
    }
    hits.push(Hit{time_ms, segment.number, offset, std::string(line)});
    if (hits.size() > limit) hits.pop();
  });
}

}  // namespace

Result<std::vector<LoggedRequest>> RequestLog::Query(const std::string& deployment,
                                                     int64_t since_ms, size_t limit) const {
  std::vector<LoggedRequest> out;
  std::string quoted;
  if (limit == 0 || !AppendJsonString("deployment", deployment, quoted).ok()) return out;
  std::vector<SegmentToRead> todo;                                  // newest first
  const std::vector<SegmentInfo> segments = state_->AllSegments();  // ascending numbers
  for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
    if (it->max_time_ms < since_ms || !it->deployments.count(deployment)) continue;
    todo.push_back(SegmentToRead{it->number, it->path, it->bytes, it->max_time_ms});
  }
  NewestHits hits;
  for (const SegmentToRead& segment : todo) {
    // Records of a segment are all older than the hits kept: nothing to gain from it.
    if (hits.size() == limit && segment.max_time_ms < hits.top().time_ms) continue;
    KILN_ASSIGN_OR_RETURN(std::string contents, ReadFileRange(segment.path, 0, segment.bytes));
    CollectHits(segment, contents, quoted, since_ms, limit, hits);
  }
  for (; !hits.empty(); hits.pop()) {
    auto parsed = ParseRequestLine(hits.top().line);
    if (!parsed.ok()) {
      spdlog::warn("request log: skipping unreadable line in segment {} at {}: {}",
                   hits.top().segment, hits.top().offset, parsed.status().message());
      continue;
    }
    out.push_back(std::move(parsed).value());
  }
  return out;  // the queue popped oldest first
}

}  // namespace kiln::serving
