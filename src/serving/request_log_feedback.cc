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
  std::vector<IndexHit> hits;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    hits = s.index.Find(request_id);
  }
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

  std::lock_guard<std::mutex> lock(s.mu);
  // Check again under the lock: a concurrent call may have given feedback meanwhile.
  bool still_indexed = false;
  for (const IndexHit& hit : s.index.Find(request_id)) {
    if (hit.location.segment != found->location.segment ||
        hit.location.offset != found->location.offset) {
      continue;
    }
    if (hit.has_feedback) return AlreadyExists("request '" + request_id + "' already has feedback");
    still_indexed = true;
  }
  if (!still_indexed) return RequestNotFound(deployment, request_id, capacity);
  KILN_RETURN_IF_ERROR(s.feedback->Append(line));
  s.NoteFeedback(record);
  return Status::Ok();
}

}  // namespace kiln::serving
