#include "cli/schedule_commands.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <thread>

#include "cli/client_flags.h"
#include "cli/exit_codes.h"
#include "cli/table.h"

namespace kiln::cli {

using nlohmann::json;

namespace {

struct ScheduleCommandFlags : ClientFlags {
  ScheduleAddFlags add;
  std::string target;  // NAME for rm and run
};

int FailSchedule(const Status& status) { return Fail(status, "kiln schedule"); }

Result<json> AddBody(const ScheduleAddFlags& flags) {
  std::ifstream in(flags.file, std::ios::binary);
  if (!in) return InvalidArgument("cannot read pipeline file '" + flags.file + "'");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::filesystem::path file = std::filesystem::absolute(flags.file);
  return json{{"name", flags.name},
              {"cron", flags.cron},
              {"spec", text},
              {"file", flags.file},
              {"base_dir", file.parent_path().string()},
              {"overrides", flags.overrides},
              {"allow_overlap", flags.allow_overlap},
              {"enabled", !flags.disabled}};
}

std::string SchedulePath(const std::string& name) { return "/api/v1/schedules/" + UrlEncode(name); }

// Polls the pipeline run until it ends; returns its final status.
Result<std::string> WaitForRun(ApiCaller& api, const std::string& run_id) {
  while (true) {
    KILN_ASSIGN_OR_RETURN(json run, api.Get("/api/v1/pipeline-runs/" + run_id, {}));
    const std::string status = run.value("status", "");
    if (status != "PENDING" && status != "RUNNING") return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

CLI::App* AddSubcommand(CLI::App& group, const char* name, const char* help,
                        ScheduleCommandFlags& flags) {
  CLI::App* command = group.add_subcommand(name, help);
  AddClientFlags(*command, flags);
  return command;
}

void AddAddCommand(CLI::App& group, std::shared_ptr<ScheduleCommandFlags> flags, int& rc) {
  CLI::App* add = AddSubcommand(group, "add", "Run a pipeline file on a cron schedule", *flags);
  ScheduleAddFlags& a = flags->add;
  add->add_option("FILE", a.file, "Pipeline file (YAML)")->required();
  add->add_option("OVERRIDES", a.overrides, "Hydra overrides applied at every run: a=1 +s.p=2");
  add->add_option("--cron", a.cron, "Five cron fields in UTC, e.g. \"0 3 * * *\", or @daily")
      ->required();
  add->add_option("--name", a.name, "Schedule name (default: the pipeline's name)");
  add->add_flag("--allow-overlap", a.allow_overlap, "Start even if the previous run is live");
  add->add_flag("--disabled", a.disabled, "Create it disabled");
  add->callback([flags, &rc] {
    rc = WithApi(*flags, true, [&](ApiCaller& api) { return AddSchedule(api, flags->add); });
  });
}

void AddOtherCommands(CLI::App& group, std::shared_ptr<ScheduleCommandFlags> flags, int& rc) {
  CLI::App* ls = AddSubcommand(group, "ls", "List schedules", *flags);
  ls->callback([flags, &rc] {
    rc = WithApi(*flags, false, [&](ApiCaller& api) { return ListSchedules(api, flags->output); });
  });
  CLI::App* rm = AddSubcommand(group, "rm", "Remove a schedule (its runs stay)", *flags);
  rm->add_option("NAME", flags->target, "Schedule name or id")->required();
  rm->callback([flags, &rc] {
    rc = WithApi(*flags, false, [&](ApiCaller& api) { return RemoveSchedule(api, flags->target); });
  });
  CLI::App* run = AddSubcommand(group, "run", "Start a run of a schedule now", *flags);
  run->add_option("NAME", flags->target, "Schedule name or id")->required();
  run->callback([flags, &rc] {
    // In-process runs end with this process, so without a server wait for the run.
    const bool wait = flags->server.empty();
    rc = WithApi(*flags, false,
                 [&](ApiCaller& api) { return RunScheduleNow(api, flags->target, wait); });
  });
}

}  // namespace

std::string IsoTimeUtc(int64_t millis) {
  if (millis < 0) return "never";
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

int AddSchedule(ApiCaller& api, const ScheduleAddFlags& flags) {
  Result<json> body = AddBody(flags);
  if (!body.ok()) return FailSchedule(body.status());
  Result<json> s = api.Post("/api/v1/schedules", *body);
  if (!s.ok()) return FailSchedule(s.status());
  std::cout << "added schedule " << s->value("name", "") << " (" << s->value("schedule_id", "")
            << "); next run " << IsoTimeUtc(s->value("next_fire_ms", int64_t{-1}))
            << (s->value("enabled", true) ? "" : " once enabled") << "\n";
  return kExitOk;
}

int ListSchedules(ApiCaller& api, const OutputFlags& out) {
  Result<json> body = api.Get("/api/v1/schedules", {});
  if (!body.ok()) return FailSchedule(body.status());
  if (out.json) {
    std::cout << body->dump(2) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const json& s : (*body)["schedules"]) {
    const bool enabled = s.value("enabled", false);
    rows.push_back({s.value("name", ""), s.value("cron", ""),
                    enabled ? IsoTimeUtc(s.value("next_fire_ms", int64_t{-1})) : "-",
                    s.value("last_run_id", ""), enabled ? "yes" : "no"});
  }
  PrintTable(std::cout, {"NAME", "CRON", "NEXT RUN (UTC)", "LAST RUN", "ENABLED"}, rows, 60);
  return kExitOk;
}

int RemoveSchedule(ApiCaller& api, const std::string& name) {
  Result<json> done = api.Post(SchedulePath(name) + "/delete", json::object());
  if (!done.ok()) return FailSchedule(done.status());
  std::cout << "removed schedule " << name << "\n";
  return kExitOk;
}

int RunScheduleNow(ApiCaller& api, const std::string& name, bool wait) {
  Result<json> started = api.Post(SchedulePath(name) + "/run", json::object());
  if (!started.ok()) return FailSchedule(started.status());
  const std::string run_id = started->value("run_id", "");
  std::cout << "started pipeline run " << run_id << " of schedule " << started->value("name", "")
            << std::endl;
  int rc = kExitOk;
  if (wait) {
    Result<std::string> state = WaitForRun(api, run_id);
    if (!state.ok()) return FailSchedule(state.status());
    std::cout << *state << "  " << run_id << "\n";
    rc = *state == "SUCCEEDED" || *state == "CACHED" ? kExitOk : kExitFailure;
  }
  std::cout << "details: kiln runs show " << run_id << "\n";
  return rc;
}

void AddScheduleCommands(CLI::App& app, int& rc) {
  auto flags = std::make_shared<ScheduleCommandFlags>();
  CLI::App* group = app.add_subcommand("schedule", "Run pipeline files on a cron schedule")
                        ->require_subcommand(1);
  AddAddCommand(*group, flags, rc);
  AddOtherCommands(*group, flags, rc);
}

}  // namespace kiln::cli
