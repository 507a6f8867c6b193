// `kiln schedule add|ls|rm|run`: pipeline files on a cron schedule, over the native API
// (in-process against --data DIR, or over HTTP against --server URL). Schedules fire only while
// a `kiln server` runs on the data folder.
#pragma once

#include <string>
#include <vector>

#include "cli/api_caller.h"
#include "cli/query_commands.h"

namespace CLI {
class App;
}  // namespace CLI

namespace kiln::cli {

struct ScheduleAddFlags {
  std::string file;  // the pipeline file
  std::string cron;  // e.g. "0 3 * * *" (UTC)
  std::string name;  // empty: the pipeline's name
  bool allow_overlap = false;
  bool disabled = false;
  std::vector<std::string> overrides;  // Hydra-style, applied at every fire
};

// Registers the `schedule` command group on `app`; the command that runs stores its exit code
// in `rc`, which must outlive parsing. Not thread-safe (CLI setup).
void AddScheduleCommands(CLI::App& app, int& rc);

// Each prints to stdout (errors to stderr) and returns the exit code: 0, 2 for the user's
// mistakes (unreadable file, bad cron or name, pipeline errors with file:line:col, unknown or
// duplicate name), 1 when the server is unreachable or fails.
// Adds a schedule and prints its name, id and next fire time.
int AddSchedule(ApiCaller& api, const ScheduleAddFlags& flags);
// Prints the schedules as a table (name, cron, next fire in UTC, last run, enabled) or JSON.
int ListSchedules(ApiCaller& api, const OutputFlags& out);
// Removes the schedule `name` (an id works too).
int RemoveSchedule(ApiCaller& api, const std::string& name);
// Starts a run of schedule `name` now and prints the run id; with `wait`, polls until the run
// ends and returns 1 unless it succeeded.
int RunScheduleNow(ApiCaller& api, const std::string& name, bool wait);

// "2026-11-22T03:00:00Z" for ms since the epoch; "never" for a negative time.
std::string IsoTimeUtc(int64_t millis);

}  // namespace kiln::cli
