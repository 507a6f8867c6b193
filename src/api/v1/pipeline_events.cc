#include "api/v1/pipeline_events.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "api/error_mapping.h"
#include "api/v1/log_follower.h"

namespace kiln::api::v1 {

namespace {

using nlohmann::json;
using std::chrono::milliseconds;

// How often step logs are polled while nothing else happens.
constexpr milliseconds kLogPoll{150};
// Log bytes read per step and poll, so one chatty step cannot flood a slow client at once.
constexpr size_t kLogSliceBytes = 256 * 1024;
// Reads everything left when a step or the run is over.
constexpr size_t kFlushAll = static_cast<size_t>(-1);

struct StreamOptions {
  bool logs = true;
  std::string step;  // only this step's log lines; empty: every step's
};

std::string SseEvent(const char* name, const json& data) {
  // Log lines may hold invalid UTF-8; replaced rather than failing the stream.
  return std::string("event: ") + name +
         "\ndata: " + data.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
}

std::string StepEvent(const std::string& step, pipeline::RunState state, int64_t attempt,
                      const std::string& message, int64_t elapsed_ms) {
  return SseEvent("step", {{"step", step},
                           {"status", pipeline::RunStateName(state)},
                           {"attempt", attempt},
                           {"message", message},
                           {"elapsed_ms", elapsed_ms}});
}

std::string EndEvent(pipeline::RunState state, const std::string& error) {
  return SseEvent("end", {{"status", pipeline::RunStateName(state)}, {"error", error}});
}

// The events of one run. Runs on its stream thread: it may block on the service and files.
class RunEventStream : public http::EventStream {
 public:
  // Steps' logs are followed from their `step` RUNNING events on, so lines never come
  // before the event that started their step.
  RunEventStream(exec::PipelineService& service, std::string run_id, StreamOptions options)
      : service_(service), run_id_(std::move(run_id)), options_(std::move(options)) {}

  std::optional<std::string> Next(milliseconds wait) override;

 private:
  void Follow(const pipeline::PipelineRunRecord& run);
  void FollowStep(const std::string& step);
  void ReadLogs(const std::string& step, LogFollower& follower, bool flush, std::string& out);
  void ReadAllLogs(bool flush, std::string& out);
  void OnEvent(const exec::RunEvent& event, std::string& out);
  void FinishFromRecord(std::string& out);

  exec::PipelineService& service_;
  const std::string run_id_;
  const StreamOptions options_;
  std::map<std::string, LogFollower> followers_;  // by step name
  size_t next_event_ = 0;
  bool logs_behind_ = false;  // the last read left log bytes unread
  bool ended_ = false;        // `end` is written
};

std::optional<std::string> RunEventStream::Next(milliseconds wait) {
  if (ended_) return std::nullopt;
  std::string out;
  // Logs with unread bytes left do not wait for events.
  const milliseconds budget = logs_behind_ ? milliseconds(0) : std::min(wait, kLogPoll);
  exec::EventBatch batch = service_.WaitEvents(run_id_, next_event_, budget);
  next_event_ = batch.next;
  for (const exec::RunEvent& event : batch.events) OnEvent(event, out);
  // A run that is not live in this process: its stored state is final.
  if (batch.finished && !ended_) FinishFromRecord(out);
  if (!ended_) ReadAllLogs(false, out);
  return out;
}

void RunEventStream::Follow(const pipeline::PipelineRunRecord& run) {
  if (!options_.logs) return;
  for (const pipeline::StepRecord& step : run.steps) {
    if (step.log_path.empty() || followers_.count(step.step)) continue;
    if (!options_.step.empty() && step.step != options_.step) continue;
    followers_.emplace(step.step, LogFollower(step.log_path));
  }
}

void RunEventStream::FollowStep(const std::string& step) {
  if (!options_.logs || followers_.count(step)) return;
  if (!options_.step.empty() && step != options_.step) return;
  Result<pipeline::PipelineRunRecord> run = service_.records().Get(run_id_);
  if (run.ok()) Follow(*run);
}

void RunEventStream::ReadLogs(const std::string& step, LogFollower& follower, bool flush,
                              std::string& out) {
  for (const std::string& line : follower.Poll(flush ? kFlushAll : kLogSliceBytes, flush)) {
    out += SseEvent("log", {{"step", step}, {"line", line}});
  }
}

void RunEventStream::ReadAllLogs(bool flush, std::string& out) {
  logs_behind_ = false;
  for (auto& [step, follower] : followers_) {
    ReadLogs(step, follower, flush, out);
    logs_behind_ = logs_behind_ || follower.behind();
  }
}

void RunEventStream::OnEvent(const exec::RunEvent& event, std::string& out) {
  using Kind = exec::RunEvent::Kind;
  if (event.kind == Kind::kRunFinished) {
    ReadAllLogs(true, out);
    out += EndEvent(event.state, event.message);
    ended_ = true;
    return;
  }
  if (event.kind == Kind::kStepStarted) FollowStep(event.step);
  // A step's lines come before the event that says it ended.
  auto follower = followers_.find(event.step);
  if (event.kind != Kind::kStepStarted && follower != followers_.end()) {
    ReadLogs(event.step, follower->second, true, out);
  }
  out += StepEvent(event.step, event.state, event.attempt, event.message, event.elapsed_ms);
}

void RunEventStream::FinishFromRecord(std::string& out) {
  ended_ = true;
  Result<pipeline::PipelineRunRecord> run = service_.records().Get(run_id_);
  if (!run.ok()) {
    out += SseEvent("end", {{"status", "UNKNOWN"}, {"error", run.status().message()}});
    return;
  }
  Follow(*run);
  for (const pipeline::StepRecord& step : run->steps) {
    auto follower = followers_.find(step.step);
    if (follower != followers_.end()) ReadLogs(step.step, follower->second, true, out);
    int64_t elapsed = step.ended_ms > step.started_ms ? step.ended_ms - step.started_ms : 0;
    out += StepEvent(step.step, step.state, step.attempts, step.error, elapsed);
  }
  out += EndEvent(run->state, run->error);
}

Result<StreamOptions> ParseOptions(const http::Request& request,
                                   const pipeline::PipelineRunRecord& run) {
  StreamOptions options;
  std::string logs = request.QueryParam("logs").value_or("1");
  if (logs != "0" && logs != "1" && logs != "true" && logs != "false") {
    return InvalidArgument("logs must be 0 or 1, got '" + logs + "'");
  }
  options.logs = logs == "1" || logs == "true";
  options.step = request.QueryParam("step").value_or("");
  if (options.step.empty()) return options;
  for (const pipeline::StepRecord& step : run.steps) {
    if (step.step == options.step) return options;
  }
  return NotFound("pipeline run '" + run.run_id + "' has no step '" + options.step + "'");
}

http::Response EventsResponse(Services& s, http::Request& request) {
  Result<pipeline::PipelineRunRecord> run =
      s.pipelines.records().Get(request.path_params["run_id"]);
  if (!run.ok()) return ErrorResponse(run.status());
  Result<StreamOptions> options = ParseOptions(request, *run);
  if (!options.ok()) return ErrorResponse(options.status());
  http::Response response;
  response.content_type = "text/event-stream; charset=utf-8";
  // Tells nginx and similar proxies not to hold events back.
  response.headers.emplace_back("X-Accel-Buffering", "no");
  http::StreamBody body;
  body.producer = std::make_shared<RunEventStream>(s.pipelines, run->run_id, std::move(*options));
  body.heartbeat = ": ping\n\n";
  body.heartbeat_every = std::chrono::seconds(15);
  response.stream = std::move(body);
  return response;
}

}  // namespace

void AddPipelineEventRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/pipeline-runs/{run_id}/events", kViewer,
             [&s](http::Request& request) { return EventsResponse(s, request); });
}

}  // namespace kiln::api::v1
