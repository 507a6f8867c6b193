// RequestLog::AddFeedback: finds the request through the index, scores the labels against its
// predictions and records the score.
#include "common/ids.h"
#include "serving/feedback_score.h"
#include "serving/request_log.h"
#include "serving/request_log_state.h"

namespace kiln::serving {
namespace {

struct FoundRequest {
  LoggedRequest request;
  RecordLocation location;
  bool has_feedback = false;
};

Status RequestNotFound(const std::string& deployment, const std::string& request_id,
                       size_t indexed) {
  return NotFound("request '" + request_id + "' of deployment '" + deployment +
                  "' is not in the request log (unknown, or older than the " +
                  std::to_string(indexed) + " most recent requests that can take feedback)");
}

}  // namespace

Status RequestLog::AddFeedback(const std::string& deployment, const std::string& request_id,
                               const std::string& labels_json) {
  State& s = *state_;
  const std::vector<IndexHit> hits = s.FindIndexed(request_id);
  std::optional<FoundRequest> found;
  for (const IndexHit& hit : hits) {  // confirm the id: hashes may collide
    const RecordLocation& loc = hit.location;
    KILN_ASSIGN_OR_RETURN(std::string line,
                          ReadFileRange(s.SegmentPath(loc.segment), loc.offset, loc.length));
    auto request = ParseRequestLine(line);
    if (request.ok() && request->request_id == request_id) {
      found = FoundRequest{std::move(request).value(), loc, hit.has_feedback};
      break;
    }
  }
  const size_t capacity = s.options.max_indexed_requests;
  if (!found || found->request.deployment != deployment) {
    return RequestNotFound(deployment, request_id, capacity);
  }
  if (found->has_feedback) {
    return AlreadyExists("request '" + request_id + "' already has feedback");
  }
  KILN_ASSIGN_OR_RETURN(FeedbackScore score,
                        ScoreFeedback(request_id, found->request.outputs_json, labels_json));
  FeedbackRecord record{
      request_id,      NowMillis(),     deployment, found->request.model, found->request.version,
      found->location, std::move(score)};
  const std::string line = EncodeFeedbackLine(record);

  Status recorded = s.RecordFeedback(record, line);
  if (recorded.code() == StatusCode::kNotFound) {
    return RequestNotFound(deployment, request_id, capacity);
  }
  return recorded;
}

Status RequestLog::State::RecordFeedback(const FeedbackRecord& record, std::string_view line) {
  const RecordLocation& at = record.location;
  for (const auto& lane : lanes) {
    MutexLock lane_lock(lane->mu);
    for (const IndexHit& hit : lane->index.Find(record.request_id)) {
      if (hit.location.segment != at.segment || hit.location.offset != at.offset) continue;
      // Checked under the lane's lock: a concurrent call may have given feedback meanwhile.
      if (hit.has_feedback) {
        return AlreadyExists("request '" + record.request_id + "' already has feedback");
      }
      MutexLock lock(mu);
      KILN_RETURN_IF_ERROR(feedback->Append(line));
      AddQuality(record);
      lane->index.MarkFeedback(record.request_id, at);
      return Status::Ok();
    }
  }
  return NotFound("request '" + record.request_id + "' is not indexed");
}

void RequestLog::State::ReplayFeedback(const FeedbackRecord& record) {
  {
    MutexLock lock(mu);
    AddQuality(record);
  }
  for (const auto& lane : lanes) {
    MutexLock lock(lane->mu);
    if (lane->index.MarkFeedback(record.request_id, record.location)) return;
  }
}

}  // namespace kiln::serving
