// Schedules: pipeline files that run on a cron schedule, stored in the `schedules` table.
// This is the storage and validation half; exec/scheduler.h fires them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/meta_store.h"

namespace kiln::pipeline {

struct Schedule {
  std::string schedule_id;             // 32 hex characters
  std::string name;                    // unique; letters, digits, '-', '_' and '.'
  std::string cron;                    // as given, see pipeline/cron.h (UTC)
  std::string file;                    // the pipeline file's name, for messages
  std::string spec;                    // the pipeline file's text
  std::string base_dir;                // absolute folder of the file
  std::vector<std::string> overrides;  // Hydra syntax, applied at every fire
  bool allow_overlap = false;          // start even while the previous run is live
  bool enabled = true;
  int64_t next_fire_ms = -1;  // -1: never fires again
  std::string last_run_id;    // empty until a fire started a run
  int64_t created_ms = 0;
};

// What Create needs; name empty means the pipeline's own name.
struct NewSchedule {
  std::string name;
  std::string cron;
  std::string file = "pipeline.yaml";
  std::string spec;
  std::string base_dir;
  std::vector<std::string> overrides;
  bool allow_overlap = false;
  bool enabled = true;
};

// Checks a schedule name. Errors: kInvalidArgument naming the field and the value.
Status ValidateScheduleName(const std::string& name);

// Thread-safe: all state lives in the store. Every method may also return kInternal for
// storage failures. `id_or_name` arguments match a schedule id first, then a name.
class ScheduleRecords {
 public:
  explicit ScheduleRecords(store::MetaStore& store) : store_(store) {}

  // Validates (name, cron via ParseCron, spec via ParsePipeline with the file name) and stores
  // a schedule whose first fire is the first cron minute after `now_ms`. Errors:
  // kInvalidArgument naming the field (also a cron that never fires), kAlreadyExists for a
  // taken name.
  Result<Schedule> Create(const NewSchedule& request, int64_t now_ms);
  // All schedules by name.
  Result<std::vector<Schedule>> List();
  // One schedule. Errors: kNotFound naming `id_or_name`.
  Result<Schedule> Get(const std::string& id_or_name);
  // Removes a schedule (its past runs stay). Errors: kNotFound.
  Status Delete(const std::string& id_or_name);
  // Enables or disables; enabling moves the next fire to the first cron minute after `now_ms`
  // so fires missed while disabled are dropped. Returns the updated schedule. Errors: kNotFound.
  Result<Schedule> SetEnabled(const std::string& id_or_name, bool enabled, int64_t now_ms);
  // Enabled schedules with 0 <= next_fire_ms <= now_ms, most overdue first.
  Result<std::vector<Schedule>> Due(int64_t now_ms);
  // Records a fire: sets next_fire_ms, and last_run_id unless `run_id` is empty (a skipped or
  // failed fire). Errors: kNotFound.
  Status MarkFired(const std::string& schedule_id, const std::string& run_id, int64_t next_fire_ms);

 private:
  Result<std::vector<Schedule>> Select(const std::string& where,
                                       const std::vector<store::Value>& args);

  store::MetaStore& store_;
};

}  // namespace kiln::pipeline
