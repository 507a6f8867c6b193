#include "serving/request_log.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/ids.h"
#include "serving/request_log_state.h"

namespace kiln::serving {

std::string RequestLog::State::SegmentPath(uint32_t number) const {
  char name[32];
  std::snprintf(name, sizeof name, "requests-%08u.jsonl", number);
  return dir + "/" + name;
}

Status RequestLog::State::StartSegment(uint32_t number, uint64_t capacity) {
  SegmentInfo info;
  info.number = number;
  info.path = SegmentPath(number);
  KILN_ASSIGN_OR_RETURN(MappedSegment file, MappedSegment::Open(info.path, capacity));
  info.bytes = file.size();
  active.reset();  // cuts the full segment back to its records
  active.emplace(std::move(file));
  segments.push_back(std::move(info));
  return Status::Ok();
}

Status RequestLog::State::MakeRoom(uint64_t bytes) {
  if (active->Fits(bytes)) return Status::Ok();
  const uint64_t capacity = std::max(options.segment_bytes, bytes);
  if (active->size() == 0) return active->Grow(capacity);
  return StartSegment(segments.back().number + 1, capacity);
}

void RequestLog::State::NoteRequest(std::string_view request_id, int64_t time_ms,
                                    const std::string& deployment, uint64_t offset,
                                    uint64_t length) {
  SegmentInfo& segment = segments.back();
  segment.bytes = offset + length + 1;
  if (time_ms > segment.max_time_ms) segment.max_time_ms = time_ms;
  if (segment.deployments.find(deployment) == segment.deployments.end()) {
    segment.deployments.insert(deployment);
  }
  index.Add(request_id, RecordLocation{segment.number, static_cast<uint32_t>(offset),
                                       static_cast<uint32_t>(length)});
}

void RequestLog::State::NoteFeedback(const FeedbackRecord& record) {
  QualityTotals& q = quality[record.deployment][{record.model, record.version}];
  q.regressor = record.score.regressor;
  q.requests += 1;
  q.rows += record.score.rows;
  q.correct += record.score.correct;
  q.squared_error += record.score.squared_error;
  q.absolute_error += record.score.absolute_error;
  index.MarkFeedback(record.request_id, record.location);
}

RequestLog::RequestLog(std::unique_ptr<State> state) : state_(std::move(state)) {}
RequestLog::~RequestLog() = default;

Status RequestLog::Append(const LoggedRequest& request) {
  thread_local std::string line;  // reused: no allocation per call once warm
  line.clear();
  KILN_RETURN_IF_ERROR(EncodeRequestLine(request, line));
  if (line.size() > UINT32_MAX) {
    return ResourceExhausted("request '" + request.request_id + "' is too large to log");
  }
  State& s = *state_;
  std::lock_guard<std::mutex> lock(s.mu);
  KILN_RETURN_IF_ERROR(s.MakeRoom(line.size()));
  const uint64_t offset = s.active->size();
  s.active->Append(line);
  s.NoteRequest(request.request_id, request.time_ms, request.deployment, offset, line.size() - 1);
  return Status::Ok();
}

std::vector<VersionQuality> RequestLog::Quality(const std::string& deployment) const {
  std::vector<VersionQuality> out;
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->quality.find(deployment);
  if (it == state_->quality.end()) return out;
  for (const auto& [key, q] : it->second) {
    VersionQuality v;
    v.model = key.first;
    v.version = key.second;
    v.regressor = q.regressor;
    v.requests = q.requests;
    v.rows = q.rows;
    v.correct = q.correct;
    const double rows = static_cast<double>(q.rows);
    if (q.rows > 0 && !q.regressor) v.accuracy = static_cast<double>(q.correct) / rows;
    if (q.rows > 0 && q.regressor) {
      v.rmse = std::sqrt(q.squared_error / rows);
      v.mae = q.absolute_error / rows;
    }
    out.push_back(std::move(v));
  }
  return out;
}

RequestLogStats RequestLog::Stats() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  RequestLogStats stats;
  stats.segments = state_->segments.size();
  for (const SegmentInfo& s : state_->segments) stats.bytes += s.bytes;
  stats.indexed_requests = state_->index.size();
  stats.skipped_lines = state_->skipped_lines;
  stats.torn_bytes = state_->torn_bytes;
  return stats;
}

}  // namespace kiln::serving
