#include "pipeline/schedule_records.h"

#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "pipeline/cron.h"
#include "pipeline/overrides.h"
#include "pipeline/pipeline_spec.h"

namespace kiln::pipeline {
namespace {

using store::Row;
using store::Rows;
using store::Session;
using store::Value;

constexpr size_t kMaxNameLength = 200;

constexpr const char* kColumns =
    "schedule_id, name, cron, file, spec, overrides_json, allow_overlap, enabled, next_fire_ms, "
    "last_run_id, created_ms";

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

// There is no base_dir column, so it travels inside overrides_json.
std::string EncodeOverrides(const Schedule& s) {
  return nlohmann::json{{"overrides", s.overrides}, {"base_dir", s.base_dir}}.dump();
}

void DecodeOverrides(const std::string& text, Schedule& s) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) return;
  s.base_dir = json.value("base_dir", "");
  for (const auto& item : json.value("overrides", nlohmann::json::array())) {
    if (item.is_string()) s.overrides.push_back(item.get<std::string>());
  }
}

Schedule FromRow(const Row& row) {
  Schedule s;
  s.schedule_id = row.Text(0);
  s.name = row.Text(1);
  s.cron = row.Text(2);
  s.file = row.Text(3);
  s.spec = row.Text(4);
  DecodeOverrides(row.Text(5), s);
  s.allow_overlap = row.Int(6) != 0;
  s.enabled = row.Int(7) != 0;
  s.next_fire_ms = row.Int(8);
  s.last_run_id = row.Text(9);
  s.created_ms = row.Int(10);
  return s;
}

Result<int64_t> FirstFire(const std::string& cron, int64_t now_ms) {
  KILN_ASSIGN_OR_RETURN(CronSchedule parsed, ParseCron(cron));
  const int64_t next = NextFireMs(parsed, now_ms);
  if (next < 0) return InvalidArgument("cron \"" + cron + "\": never fires");
  return next;
}

// Syntax only: whether the overrides apply is known when the pipeline resolves, at fire time.
Status CheckOverrides(const std::vector<std::string>& texts) {
  KILN_ASSIGN_OR_RETURN(std::vector<Override> parsed, ParseOverrides(texts));
  for (const Override& o : parsed) {
    if (IsSweep(o)) {
      return InvalidArgument("overrides: '" + o.text + "' is a sweep; a schedule starts one run");
    }
  }
  return Status::Ok();
}

// The schedule to store, with everything checked; no id yet.
Result<Schedule> Validated(const NewSchedule& request, int64_t now_ms) {
  if (!request.name.empty()) KILN_RETURN_IF_ERROR(ValidateScheduleName(request.name));
  Schedule s;
  KILN_ASSIGN_OR_RETURN(s.next_fire_ms, FirstFire(request.cron, now_ms));
  KILN_ASSIGN_OR_RETURN(PipelineSpec spec, ParsePipeline(request.spec, request.file));
  KILN_RETURN_IF_ERROR(CheckOverrides(request.overrides));
  s.name = request.name.empty() ? spec.name : request.name;
  KILN_RETURN_IF_ERROR(ValidateScheduleName(s.name));
  s.cron = request.cron;
  s.file = request.file;
  s.spec = request.spec;
  s.base_dir = request.base_dir;
  s.overrides = request.overrides;
  s.allow_overlap = request.allow_overlap;
  s.enabled = request.enabled;
  s.created_ms = now_ms;
  return s;
}

std::string NotFoundMessage(const std::string& id_or_name) {
  return "schedule '" + id_or_name + "' not found";
}

}  // namespace

Status ValidateScheduleName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= kMaxNameLength;
  for (char c : name) ok = ok && IsNameChar(c);
  if (ok) return Status::Ok();
  return InvalidArgument("name: '" + name +
                         "' must be 1-200 letters, digits, '-', '_' or '.' characters");
}

Result<Schedule> ScheduleRecords::Create(const NewSchedule& request, int64_t now_ms) {
  KILN_ASSIGN_OR_RETURN(Schedule s, Validated(request, now_ms));
  s.schedule_id = NewHexId();
  Status status = store_.Write([&](Session& session) {
    return session.Exec(
        std::string("INSERT INTO schedules (") + kColumns +
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {s.schedule_id, s.name, s.cron, s.file, s.spec, EncodeOverrides(s),
         int64_t{s.allow_overlap}, int64_t{s.enabled}, s.next_fire_ms, Value{}, s.created_ms});
  });
  if (status.code() == StatusCode::kAlreadyExists) {
    return AlreadyExists("name: a schedule named '" + s.name + "' already exists");
  }
  KILN_RETURN_IF_ERROR(status);
  return s;
}

Result<std::vector<Schedule>> ScheduleRecords::Select(const std::string& where,
                                                      const std::vector<Value>& args) {
  std::vector<Schedule> out;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(
        Rows rows, s.Query(std::string("SELECT ") + kColumns + " FROM schedules " + where, args));
    for (const Row& row : rows) out.push_back(FromRow(row));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Schedule>> ScheduleRecords::List() { return Select("ORDER BY name", {}); }

Result<Schedule> ScheduleRecords::Get(const std::string& id_or_name) {
  // An id match wins over a name that happens to look like an id.
  KILN_ASSIGN_OR_RETURN(
      std::vector<Schedule> found,
      Select("WHERE schedule_id = ? OR name = ? ORDER BY schedule_id = ? DESC LIMIT 1",
             {id_or_name, id_or_name, id_or_name}));
  if (found.empty()) return NotFound(NotFoundMessage(id_or_name));
  return found.front();
}

Status ScheduleRecords::Delete(const std::string& id_or_name) {
  KILN_ASSIGN_OR_RETURN(Schedule s, Get(id_or_name));
  return store_.Write([&](Session& session) -> Status {
    KILN_RETURN_IF_ERROR(
        session.Exec("DELETE FROM schedules WHERE schedule_id = ?", {s.schedule_id}));
    if (session.Changes() == 0) return NotFound(NotFoundMessage(id_or_name));
    return Status::Ok();
  });
}

Result<Schedule> ScheduleRecords::SetEnabled(const std::string& id_or_name, bool enabled,
                                             int64_t now_ms) {
  KILN_ASSIGN_OR_RETURN(Schedule s, Get(id_or_name));
  if (enabled && !s.enabled) {
    Result<CronSchedule> parsed = ParseCron(s.cron);
    s.next_fire_ms = parsed.ok() ? NextFireMs(*parsed, now_ms) : -1;
  }
  s.enabled = enabled;
  KILN_RETURN_IF_ERROR(store_.Write([&](Session& session) -> Status {
    KILN_RETURN_IF_ERROR(
        session.Exec("UPDATE schedules SET enabled = ?, next_fire_ms = ? WHERE schedule_id = ?",
                     {int64_t{enabled}, s.next_fire_ms, s.schedule_id}));
    if (session.Changes() == 0) return NotFound(NotFoundMessage(id_or_name));
    return Status::Ok();
  }));
  return s;
}

Result<std::vector<Schedule>> ScheduleRecords::Due(int64_t now_ms) {
  return Select(
      "WHERE enabled = 1 AND next_fire_ms >= 0 AND next_fire_ms <= ? ORDER BY next_fire_ms, name",
      {now_ms});
}

Status ScheduleRecords::MarkFired(const std::string& schedule_id, const std::string& run_id,
                                  int64_t next_fire_ms) {
  return store_.Write([&](Session& session) -> Status {
    KILN_RETURN_IF_ERROR(session.Exec(
        "UPDATE schedules SET next_fire_ms = ?, last_run_id = COALESCE(?, last_run_id) "
        "WHERE schedule_id = ?",
        {next_fire_ms, run_id.empty() ? Value{} : Value{run_id}, schedule_id}));
    if (session.Changes() == 0) return NotFound(NotFoundMessage(schedule_id));
    return Status::Ok();
  });
}

}  // namespace kiln::pipeline
