#include "api/v1/pipeline_changes.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "api/error_mapping.h"
#include "api/request_args.h"

namespace kiln::api::v1 {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr int64_t kMaxWaitMs = 10000;

const char* KindName(exec::RunEvent::Kind kind) {
  switch (kind) {
    case exec::RunEvent::Kind::kStepStarted:
      return "step_started";
    case exec::RunEvent::Kind::kStepRetrying:
      return "step_retrying";
    case exec::RunEvent::Kind::kStepFinished:
      return "step_finished";
    case exec::RunEvent::Kind::kRunFinished:
      return "run_finished";
  }
  return "unknown";
}

json EventJson(const exec::RunEvent& event) {
  return {{"type", KindName(event.kind)},
          {"step", event.step},
          {"status", pipeline::RunStateName(event.state)},
          {"attempt", event.attempt},
          {"message", event.message},
          {"log_tail", event.log_tail},
          {"elapsed_ms", event.elapsed_ms}};
}

std::string BatchJson(const exec::EventBatch& batch) {
  json events = json::array();
  for (const exec::RunEvent& event : batch.events) events.push_back(EventJson(event));
  json body = {{"events", std::move(events)},
               {"next", batch.next},
               {"finished", batch.finished},
               {"live", batch.live}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The whole answer as one chunk, once an event came or the wait is over. Waits in slices of
// the stream thread's `wait` so the server can stop it.
class ChangesBody : public http::EventStream {
 public:
  ChangesBody(exec::PipelineService& service, std::string run_id, size_t from, milliseconds wait)
      : service_(service),
        run_id_(std::move(run_id)),
        from_(from),
        deadline_(Clock::now() + wait) {}

  std::optional<std::string> Next(milliseconds wait) override {
    if (answered_) return std::nullopt;
    const auto left = std::chrono::duration_cast<milliseconds>(deadline_ - Clock::now());
    exec::EventBatch batch =
        service_.WaitEvents(run_id_, from_, std::max(milliseconds(0), std::min(wait, left)));
    if (batch.events.empty() && !batch.finished && Clock::now() < deadline_) return "";
    answered_ = true;
    return BatchJson(batch);
  }

 private:
  exec::PipelineService& service_;
  const std::string run_id_;
  const size_t from_;
  const Clock::time_point deadline_;
  bool answered_ = false;
};

Result<http::Response> ChangesResponse(Services& s, const http::Request& request) {
  KILN_ASSIGN_OR_RETURN(RequestArgs args, RequestArgs::FromRequest(request));
  KILN_ASSIGN_OR_RETURN(std::string run_id, args.RequiredString("run_id"));
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> from, args.OptionalInt("from"));
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> wait_ms, args.OptionalInt("wait_ms"));
  if (from.value_or(0) < 0) return InvalidArgument("from must be 0 or more");
  if (wait_ms.value_or(0) < 0 || wait_ms.value_or(0) > kMaxWaitMs) {
    return InvalidArgument("wait_ms must be between 0 and " + std::to_string(kMaxWaitMs));
  }
  KILN_RETURN_IF_ERROR(s.pipelines.records().CheckExists(run_id));
  http::Response response;
  response.content_type = "application/json";
  http::StreamBody body;
  body.producer = std::make_shared<ChangesBody>(s.pipelines, run_id, from.value_or(0),
                                                milliseconds(wait_ms.value_or(0)));
  response.stream = std::move(body);
  return response;
}

}  // namespace

void AddPipelineChangeRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/pipeline-runs/{run_id}/changes", kViewer,
             [&s](http::Request& request) {
               Result<http::Response> response = ChangesResponse(s, request);
               return response.ok() ? std::move(*response) : ErrorResponse(response.status());
             });
}

}  // namespace kiln::api::v1
