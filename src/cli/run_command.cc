#include "cli/run_command.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/api_caller.h"
#include "cli/exit_codes.h"
#include "cli/run_view.h"

namespace kiln::cli {
namespace {

using nlohmann::json;

constexpr int kExitCancelled = 130;
std::atomic<bool> g_interrupted{false};

void OnInterrupt(int) { g_interrupted = true; }

int Fail(const Status& status) {
  std::cerr << "kiln run: " << status.message() << "\n";
  return ExitCodeFor(status);
}

Result<json> SubmitBody(const RunFlags& flags) {
  std::ifstream in(flags.file, std::ios::binary);
  if (!in) return InvalidArgument("cannot read pipeline file '" + flags.file + "'");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::filesystem::path file = std::filesystem::absolute(flags.file);
  return json{{"spec", text},
              {"file", flags.file},
              {"base_dir", file.parent_path().string()},
              {"overrides", flags.overrides},
              {"multirun", flags.multirun},
              {"sample", flags.sample},
              {"seed", flags.seed},
              {"parallel", flags.parallel},
              {"use_cache", !flags.no_cache}};
}

// Follows runs by polling their state and turns changes into view events.
class Watcher {
 public:
  // Polls every `interval`.
  Watcher(ApiCaller& api, RunView& view, std::chrono::milliseconds interval)
      : api_(api), view_(view), interval_(interval) {}

  // Polls until every run is final; returns the final runs.
  Result<std::vector<json>> Follow(const std::vector<std::pair<std::string, std::string>>& runs) {
    std::map<std::string, json> last;
    bool cancel_sent = false;
    while (true) {
      if (g_interrupted && !cancel_sent) {
        for (const auto& [id, label] : runs) {
          api_.Post("/api/v1/pipeline-runs/" + id + "/cancel", json::object())
              .status()
              .IgnoreError();
        }
        cancel_sent = true;
      }
      size_t final_count = 0;
      for (const auto& [id, label] : runs) {
        KILN_ASSIGN_OR_RETURN(json run, api_.Get("/api/v1/pipeline-runs/" + id, {}));
        Diff(id, label, last[id], run);
        if (IsFinal(run)) ++final_count;
        last[id] = std::move(run);
      }
      view_.Tick();
      if (final_count == runs.size()) break;
      std::this_thread::sleep_for(interval_);
    }
    std::vector<json> out;
    for (const auto& [id, label] : runs) out.push_back(last[id]);
    return out;
  }

 private:
  static bool IsFinal(const json& run) {
    const std::string status = run.value("status", "");
    return status != "PENDING" && status != "RUNNING";
  }

  // Steps of a run by name (runs may have thousands of steps; polls must stay cheap).
  static std::map<std::string, const json*> StepsByName(const json& run) {
    std::map<std::string, const json*> steps;
    if (run.is_object() && run.contains("steps")) {
      for (const json& step : run["steps"]) steps[step.value("step", "")] = &step;
    }
    return steps;
  }

  void Diff(const std::string& id, const std::string& label, const json& before, const json& now) {
    const std::map<std::string, const json*> old_steps = StepsByName(before);
    if (now.contains("steps")) {
      for (const json& step : now["steps"]) {
        auto old = old_steps.find(step.value("step", ""));
        DiffStep(id, label, old == old_steps.end() ? nullptr : old->second, step);
      }
    }
    if (IsFinal(now) && !(before.is_object() && IsFinal(before))) {
      exec::RunEvent event;
      event.kind = exec::RunEvent::Kind::kRunFinished;
      pipeline::RunStateFromName(now.value("status", "FAILED"), &event.state);
      event.message = now.value("error", "");
      event.elapsed_ms = now.value("ended_ms", int64_t{0}) - now.value("started_ms", int64_t{0});
      view_.OnEvent(label, event);
    }
  }

  void DiffStep(const std::string& id, const std::string& label, const json* old,
                const json& step) {
    const std::string status = step.value("status", "");
    const int64_t attempts = step.value("attempts", int64_t{0});
    const bool changed = old == nullptr || old->value("status", "") != status ||
                         old->value("attempts", int64_t{0}) != attempts;
    if (!changed) return;
    exec::RunEvent event;
    event.step = step.value("step", "");
    event.attempt = attempts;
    event.message = step.value("error", "");
    pipeline::RunStateFromName(status, &event.state);
    if (status == "PENDING") return;
    if (status == "RUNNING") {
      event.kind = exec::RunEvent::Kind::kStepStarted;
    } else {
      // A step may start and finish between two polls; show the start first.
      if (attempts > 0 && (old == nullptr || old->value("status", "") != "RUNNING")) {
        exec::RunEvent started = event;
        started.kind = exec::RunEvent::Kind::kStepStarted;
        started.state = pipeline::RunState::kRunning;
        view_.OnEvent(label, started);
      }
      event.kind = exec::RunEvent::Kind::kStepFinished;
      event.elapsed_ms = step.value("ended_ms", int64_t{0}) - step.value("started_ms", int64_t{0});
      if (status == "FAILED") event.log_tail = LogTail(id, event.step);
    }
    view_.OnEvent(label, event);
  }

  std::string LogTail(const std::string& id, const std::string& step) {
    Result<json> tail =
        api_.Get("/api/v1/pipeline-runs/" + id + "/steps/" + UrlEncode(step) + "/log-tail",
                 {{"lines", "20"}});
    return tail.ok() ? tail->value("text", "") : "";
  }

  ApiCaller& api_;
  RunView& view_;
  const std::chrono::milliseconds interval_;
};

size_t CountSteps(ApiCaller& api, const std::vector<std::pair<std::string, std::string>>& runs) {
  size_t total = 0;
  for (const auto& [id, label] : runs) {
    Result<json> run = api.Get("/api/v1/pipeline-runs/" + id, {});
    if (run.ok() && run->contains("steps")) total += (*run)["steps"].size();
  }
  return total;
}

int Summarize(const std::vector<json>& runs, bool as_json) {
  bool failed = false;
  bool cancelled = false;
  for (const json& run : runs) {
    const std::string status = run.value("status", "");
    failed |= status == "FAILED";
    cancelled |= status == "CANCELLED";
  }
  if (as_json) {
    std::cout << json{{"runs", runs}}.dump(2) << "\n";
  } else {
    for (const json& run : runs) {
      std::cout << run.value("status", "") << "  " << run.value("run_id", "") << "  "
                << run.value("pipeline", "");
      if (!run.value("sweep_id", "").empty()) {
        std::string point;
        for (const auto& o : run["overrides"]) point += " " + o.get<std::string>();
        std::cout << " " << point;
      }
      std::cout << "\n";
    }
    if (!runs.empty()) {
      std::cout << "details: kiln runs show " << runs.front().value("run_id", "") << "\n";
    }
  }
  if (cancelled || g_interrupted) return kExitCancelled;
  return failed ? kExitFailure : kExitOk;
}

Result<json> Start(ApiCaller& api, const RunFlags& flags) {
  if (!flags.resume.empty()) {
    return api.Post("/api/v1/pipeline-runs/" + flags.resume + "/resume",
                    json{{"use_cache", !flags.no_cache}});
  }
  KILN_ASSIGN_OR_RETURN(json body, SubmitBody(flags));
  return api.Post("/api/v1/pipeline-runs", body);
}

}  // namespace

int RunPipeline(const RunFlags& flags) {
  if (flags.resume.empty() == flags.file.empty()) {
    return Fail(InvalidArgument("give a pipeline file or --resume RUN_ID (not both)"));
  }
  Result<std::unique_ptr<ApiCaller>> api = MakeApiCaller(flags.server, flags.data, /*create=*/true);
  if (!api.ok()) return Fail(api.status());
  Result<json> started = Start(**api, flags);
  if (!started.ok()) return Fail(started.status());
  std::vector<std::pair<std::string, std::string>> runs;
  const bool sweep = !started->value("sweep_id", "").empty();
  for (const json& run : (*started)["runs"]) {
    runs.emplace_back(run.value("run_id", ""), sweep ? run.value("description", "") : "");
  }
  if (!flags.json) {
    std::cout << (sweep ? "sweep " + started->value("sweep_id", "") + ": " : "") << runs.size()
              << " run(s) of " << started->value("pipeline", "") << "\n";
  }
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  const size_t total_steps = CountSteps(**api, runs);
  RunView view(flags.json ? stderr : stdout, !flags.json && ::isatty(STDOUT_FILENO), total_steps);
  // Big runs are polled less often: each poll reads and renders every step.
  const auto interval = std::chrono::milliseconds(total_steps < 200 ? 100 : 500);
  Result<std::vector<json>> final_runs = Watcher(**api, view, interval).Follow(runs);
  view.Close();
  if (!final_runs.ok()) return Fail(final_runs.status());
  return Summarize(*final_runs, flags.json);
}

}  // namespace kiln::cli
