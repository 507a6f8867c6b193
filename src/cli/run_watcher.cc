#include "cli/run_watcher.h"

#include <map>
#include <thread>

namespace kiln::cli {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

// How long one change-feed call may wait for an event: bounds how late the elapsed time is
// redrawn and a Ctrl-C is noticed.
constexpr milliseconds kChangeWait{250};
// A pause after a round that brought events, so a burst of them (a thousand cached steps) comes
// in a few answers instead of one call per event.
constexpr milliseconds kCoalesce{20};

bool IsFinal(const json& run) {
  const std::string status = run.value("status", "");
  return !status.empty() && status != "PENDING" && status != "RUNNING";
}

// Steps of a polled run by name (runs may have thousands of steps; polls must stay cheap).
std::map<std::string, const json*> StepsByName(const json& run) {
  std::map<std::string, const json*> steps;
  if (run.is_object() && run.contains("steps")) {
    for (const json& step : run["steps"]) steps[step.value("step", "")] = &step;
  }
  return steps;
}

exec::RunEvent EventFromJson(const json& change) {
  using Kind = exec::RunEvent::Kind;
  static const std::map<std::string, Kind> kKinds = {{"step_started", Kind::kStepStarted},
                                                     {"step_retrying", Kind::kStepRetrying},
                                                     {"step_finished", Kind::kStepFinished},
                                                     {"run_finished", Kind::kRunFinished}};
  exec::RunEvent event;
  auto kind = kKinds.find(change.value("type", ""));
  event.kind = kind == kKinds.end() ? Kind::kStepFinished : kind->second;
  event.step = change.value("step", "");
  pipeline::RunStateFromName(change.value("status", "FAILED"), &event.state);
  event.attempt = change.value("attempt", int64_t{0});
  event.message = change.value("message", "");
  event.log_tail = change.value("log_tail", "");
  event.elapsed_ms = change.value("elapsed_ms", int64_t{0});
  return event;
}

}  // namespace

RunWatcher::RunWatcher(ApiCaller& api, RunView& view, milliseconds poll_interval,
                       std::function<bool()> interrupted)
    : api_(api), view_(view), poll_interval_(poll_interval), interrupted_(std::move(interrupted)) {}

Result<std::vector<json>> RunWatcher::Follow(const std::vector<WatchedRun>& runs) {
  std::vector<Followed> followed;
  for (const WatchedRun& run : runs) {
    followed.emplace_back();
    followed.back().run = run;
  }
  bool cancel_sent = false;
  while (true) {
    if (!cancel_sent && interrupted_()) {
      CancelAll(followed);
      cancel_sent = true;
    }
    bool waited = false, polled = false, open = false, busy = false;
    for (Followed& run : followed) {
      if (run.final) continue;
      if (run.live) {
        // Only the first call waits, so one quiet run does not hold back the others.
        const size_t seen = run.next_event;
        KILN_RETURN_IF_ERROR(FollowChanges(run, waited ? milliseconds(0) : kChangeWait));
        waited = true;
        busy = busy || run.next_event != seen;
      }
      if (!run.live) {
        KILN_RETURN_IF_ERROR(PollState(run));
        polled = true;
      }
      open = open || !run.final;
    }
    view_.Tick();
    if (!open) break;
    if (polled && !waited) std::this_thread::sleep_for(poll_interval_);
    if (busy) std::this_thread::sleep_for(kCoalesce);
  }
  std::vector<json> out;
  for (const Followed& run : followed) {
    KILN_ASSIGN_OR_RETURN(json final_run, api_.Get("/api/v1/pipeline-runs/" + run.run.run_id, {}));
    out.push_back(std::move(final_run));
  }
  return out;
}

void RunWatcher::CancelAll(const std::vector<Followed>& runs) {
  for (const Followed& run : runs) {
    api_.Post("/api/v1/pipeline-runs/" + run.run.run_id + "/cancel", json::object())
        .status()
        .IgnoreError();
  }
}

Status RunWatcher::FollowChanges(Followed& run, milliseconds wait) {
  KILN_ASSIGN_OR_RETURN(json changes,
                        api_.Get("/api/v1/pipeline-runs/" + run.run.run_id + "/changes",
                                 {{"from", std::to_string(run.next_event)},
                                  {"wait_ms", std::to_string(wait.count())}}));
  for (const json& change : changes.value("events", json::array())) {
    exec::RunEvent event = EventFromJson(change);
    view_.OnEvent(run.run.label, event);
    if (event.kind == exec::RunEvent::Kind::kRunFinished) run.final = true;
  }
  run.next_event = changes.value("next", run.next_event);
  // Not run here, or over without saying so: its stored state tells the rest.
  if (!run.final && (!changes.value("live", false) || changes.value("finished", false))) {
    run.live = false;
  }
  return Status::Ok();
}

Status RunWatcher::PollState(Followed& run) {
  KILN_ASSIGN_OR_RETURN(json now, api_.Get("/api/v1/pipeline-runs/" + run.run.run_id, {}));
  const std::map<std::string, const json*> old_steps = StepsByName(run.last);
  if (now.contains("steps")) {
    for (const json& step : now["steps"]) {
      auto old = old_steps.find(step.value("step", ""));
      DiffStep(run, old == old_steps.end() ? nullptr : old->second, step);
    }
  }
  if (IsFinal(now)) {
    exec::RunEvent event;
    event.kind = exec::RunEvent::Kind::kRunFinished;
    pipeline::RunStateFromName(now.value("status", "FAILED"), &event.state);
    event.message = now.value("error", "");
    event.elapsed_ms = now.value("ended_ms", int64_t{0}) - now.value("started_ms", int64_t{0});
    view_.OnEvent(run.run.label, event);
    run.final = true;
  }
  run.last = std::move(now);
  return Status::Ok();
}

void RunWatcher::DiffStep(const Followed& run, const json* old, const json& step) {
  const std::string status = step.value("status", "");
  const int64_t attempts = step.value("attempts", int64_t{0});
  const bool changed = old == nullptr || old->value("status", "") != status ||
                       old->value("attempts", int64_t{0}) != attempts;
  if (!changed || status == "PENDING") return;
  exec::RunEvent event;
  event.step = step.value("step", "");
  event.attempt = attempts;
  event.message = step.value("error", "");
  pipeline::RunStateFromName(status, &event.state);
  if (status == "RUNNING") {
    event.kind = exec::RunEvent::Kind::kStepStarted;
  } else {
    // A step may start and finish between two polls; show the start first.
    if (attempts > 0 && (old == nullptr || old->value("status", "") != "RUNNING")) {
      exec::RunEvent started = event;
      started.kind = exec::RunEvent::Kind::kStepStarted;
      started.state = pipeline::RunState::kRunning;
      view_.OnEvent(run.run.label, started);
    }
    event.kind = exec::RunEvent::Kind::kStepFinished;
    event.elapsed_ms = step.value("ended_ms", int64_t{0}) - step.value("started_ms", int64_t{0});
    if (status == "FAILED") event.log_tail = LogTail(run.run.run_id, event.step);
  }
  view_.OnEvent(run.run.label, event);
}

std::string RunWatcher::LogTail(const std::string& run_id, const std::string& step) {
  Result<json> tail =
      api_.Get("/api/v1/pipeline-runs/" + run_id + "/steps/" + UrlEncode(step) + "/log-tail",
               {{"lines", "20"}});
  return tail.ok() ? tail->value("text", "") : "";
}

}  // namespace kiln::cli
