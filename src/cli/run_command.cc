#include "cli/run_command.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/api_caller.h"
#include "cli/exit_codes.h"
#include "cli/run_view.h"
#include "cli/run_watcher.h"

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

size_t CountSteps(ApiCaller& api, const std::vector<WatchedRun>& runs) {
  size_t total = 0;
  for (const WatchedRun& watched : runs) {
    Result<json> run = api.Get("/api/v1/pipeline-runs/" + watched.run_id, {});
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
  Result<config::Config> settings = ResolveConfigFlags(flags.config);
  if (!settings.ok()) return Fail(settings.status());
  Result<std::unique_ptr<ApiCaller>> api = MakeApiCaller(flags.server, *settings, /*create=*/true);
  if (!api.ok()) return Fail(api.status());
  Result<json> started = Start(**api, flags);
  if (!started.ok()) return Fail(started.status());
  std::vector<WatchedRun> runs;
  const bool sweep = !started->value("sweep_id", "").empty();
  for (const json& run : (*started)["runs"]) {
    runs.push_back({run.value("run_id", ""), sweep ? run.value("description", "") : ""});
  }
  if (!flags.json) {
    std::cout << (sweep ? "sweep " + started->value("sweep_id", "") + ": " : "") << runs.size()
              << " run(s) of " << started->value("pipeline", "") << "\n";
  }
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  const size_t total_steps = CountSteps(**api, runs);
  RunView view(flags.json ? stderr : stdout, !flags.json && ::isatty(STDOUT_FILENO), total_steps);
  // Runs this process or the server does not execute are polled; big ones less often, as
  // each poll reads every step.
  const auto interval = std::chrono::milliseconds(total_steps < 200 ? 100 : 500);
  RunWatcher watcher(**api, view, interval, [] { return g_interrupted.load(); });
  Result<std::vector<json>> final_runs = watcher.Follow(runs);
  view.Close();
  if (!final_runs.ok()) return Fail(final_runs.status());
  return Summarize(*final_runs, flags.json);
}

}  // namespace kiln::cli
