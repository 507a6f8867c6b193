#include "serving/request_log.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
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

void SegmentInfo::Note(int64_t time_ms, const std::string& deployment, uint64_t offset,
                       uint64_t length) {
  bytes = offset + length + 1;
  if (time_ms > max_time_ms) max_time_ms = time_ms;
  if (deployments.find(deployment) == deployments.end()) deployments.insert(deployment);
}

// Which lane's mutex it returns holding is chosen at run time, beyond the analysis; Append
// tells it with AssertHeld.
WriterLane& RequestLog::State::LockLane() NO_THREAD_SAFETY_ANALYSIS {
  static std::atomic<size_t> next_thread{0};
  thread_local size_t hint = next_thread.fetch_add(1, std::memory_order_relaxed);
  const size_t n = lanes.size();
  for (size_t i = 0; i < n; ++i) {
    const size_t at = (hint + i) % n;
    if (lanes[at]->mu.TryLock()) {
      hint = at;
      return *lanes[at];
    }
  }
  WriterLane& own = *lanes[hint % n];
  own.mu.Lock();
  return own;
}

Status RequestLog::State::StartSegment(WriterLane& lane, uint64_t capacity) {
  uint32_t number;
  {
    MutexLock lock(mu);
    number = next_segment++;
  }
  SegmentInfo info;
  info.number = number;
  info.path = SegmentPath(number);
  KILN_ASSIGN_OR_RETURN(MappedSegment file, MappedSegment::Open(info.path, capacity));
  info.bytes = file.size();
  if (lane.active) {
    lane.active.reset();  // cuts the full segment back to its records
    MutexLock lock(mu);
    segments.push_back(std::move(lane.info));
  }
  lane.active.emplace(std::move(file));
  lane.info = std::move(info);
  return Status::Ok();
}

Status RequestLog::State::MakeRoom(WriterLane& lane, uint64_t bytes) {
  if (lane.active && lane.active->Fits(bytes)) return Status::Ok();
  const uint64_t capacity = std::max(options.segment_bytes, bytes);
  if (lane.active && lane.active->size() == 0) return lane.active->Grow(capacity);
  return StartSegment(lane, capacity);
}

std::vector<SegmentInfo> RequestLog::State::AllSegments() const {
  // Lanes first: a segment a lane finishes meanwhile then shows twice (kept once below), never
  // not at all.
  std::vector<SegmentInfo> out;
  for (const auto& lane : lanes) {
    MutexLock lock(lane->mu);
    if (lane->active) out.push_back(lane->info);
  }
  {
    MutexLock lock(mu);
    out.insert(out.end(), segments.begin(), segments.end());
  }
  std::sort(out.begin(), out.end(), [](const SegmentInfo& a, const SegmentInfo& b) {
    return a.number != b.number ? a.number < b.number : a.bytes > b.bytes;
  });
  auto same = [](const SegmentInfo& a, const SegmentInfo& b) { return a.number == b.number; };
  out.erase(std::unique(out.begin(), out.end(), same), out.end());
  return out;
}

std::vector<IndexHit> RequestLog::State::FindIndexed(std::string_view request_id) const {
  std::vector<IndexHit> hits;
  for (const auto& lane : lanes) {
    MutexLock lock(lane->mu);
    for (const IndexHit& hit : lane->index.Find(request_id)) hits.push_back(hit);
  }
  return hits;
}

size_t RequestLog::State::IndexedCount() const {
  size_t n = 0;
  for (const auto& lane : lanes) {
    MutexLock lock(lane->mu);
    n += lane->index.size();
  }
  return n;
}

void RequestLog::State::AddQuality(const FeedbackRecord& record) {
  QualityTotals& q = quality[record.deployment][{record.model, record.version}];
  q.regressor = record.score.regressor;
  q.requests += 1;
  q.rows += record.score.rows;
  q.correct += record.score.correct;
  q.squared_error += record.score.squared_error;
  q.absolute_error += record.score.absolute_error;
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
  WriterLane& lane = s.LockLane();
  lane.mu.AssertHeld();
  MutexLock lock(lane.mu, AdoptLock{});
  KILN_RETURN_IF_ERROR(s.MakeRoom(lane, line.size()));
  const uint64_t offset = lane.active->size();
  KILN_RETURN_IF_ERROR(lane.active->Append(line));
  const uint64_t length = line.size() - 1;
  lane.info.Note(request.time_ms, request.deployment, offset, length);
  lane.index.Add(request.request_id, RecordLocation{lane.info.number, static_cast<uint32_t>(offset),
                                                    static_cast<uint32_t>(length)});
  return Status::Ok();
}

std::vector<VersionQuality> RequestLog::Quality(const std::string& deployment) const {
  std::vector<VersionQuality> out;
  MutexLock lock(state_->mu);
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
  const std::vector<SegmentInfo> segments = state_->AllSegments();
  RequestLogStats stats;
  stats.segments = segments.size();
  for (const SegmentInfo& s : segments) stats.bytes += s.bytes;
  stats.indexed_requests = state_->IndexedCount();
  MutexLock lock(state_->mu);
  stats.skipped_lines = state_->skipped_lines;
  stats.torn_bytes = state_->torn_bytes;
  return stats;
}

}  // namespace kiln::serving
