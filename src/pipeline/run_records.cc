#include "pipeline/run_records.h"

#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "store/query_page.h"

namespace kiln::pipeline {
namespace {

using store::Row;
using store::Rows;
using store::Session;
using store::Value;

constexpr const char* kStateNames[] = {"PENDING", "RUNNING", "SUCCEEDED", "FAILED",
                                       "CACHED",  "SKIPPED", "CANCELLED"};

Value OptionalText(const std::string& text) { return text.empty() ? Value{} : Value{text}; }
Value OptionalTime(int64_t ms) { return ms == 0 ? Value{} : Value{ms}; }

RunState StateOf(const std::string& name) {
  RunState state = RunState::kFailed;
  RunStateFromName(name, &state);
  return state;
}

std::string EncodeOutputs(const std::vector<StepOutput>& outputs) {
  nlohmann::json json = nlohmann::json::object();
  for (const StepOutput& o : outputs) {
    json[o.name] = {{"type", ArtifactTypeName(o.type)}, {"digest", o.digest}, {"tree", o.is_tree}};
  }
  return json.dump();
}

std::vector<StepOutput> DecodeOutputs(const std::string& text) {
  std::vector<StepOutput> outputs;
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) return outputs;
  for (const auto& [name, value] : json.items()) {
    StepOutput output{name, ArtifactType::kFile, value.value("digest", ""),
                      value.value("tree", false)};
    ArtifactTypeFromName(value.value("type", "file"), &output.type);
    outputs.push_back(std::move(output));
  }
  return outputs;
}

Status InsertStep(Session& s, const std::string& run_id, const StepRecord& step) {
  return s.Exec(
      "INSERT INTO step_runs (pipeline_run_id, step, position, run_id, status, cache_key, "
      "cached, attempts, exit_code, error, log_path, started_ms, ended_ms) VALUES (?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pipeline_run_id, step) DO UPDATE SET position = "
      "excluded.position, run_id = excluded.run_id, status = excluded.status, cache_key = "
      "excluded.cache_key, cached = excluded.cached, attempts = excluded.attempts, exit_code = "
      "excluded.exit_code, error = excluded.error, log_path = excluded.log_path, started_ms = "
      "excluded.started_ms, ended_ms = excluded.ended_ms",
      {run_id, step.step, step.position, OptionalText(step.run_id), RunStateName(step.state),
       OptionalText(step.cache_key), int64_t{step.cached}, step.attempts,
       step.exit_code ? Value{*step.exit_code} : Value{}, OptionalText(step.error),
       OptionalText(step.log_path), OptionalTime(step.started_ms), OptionalTime(step.ended_ms)});
}

Status ReplaceOutputs(Session& s, const std::string& run_id, const StepRecord& step) {
  KILN_RETURN_IF_ERROR(s.Exec("DELETE FROM step_outputs WHERE pipeline_run_id = ? AND step = ?",
                              {run_id, step.step}));
  for (const StepOutput& o : step.outputs) {
    KILN_RETURN_IF_ERROR(s.Exec(
        "INSERT INTO step_outputs (pipeline_run_id, step, output, type, digest, "
        "is_tree) VALUES (?, ?, ?, ?, ?, ?)",
        {run_id, step.step, o.name, ArtifactTypeName(o.type), o.digest, int64_t{o.is_tree}}));
  }
  return Status::Ok();
}

Status InsertEdges(Session& s, const std::vector<LineageEdge>& edges) {
  const int64_t now = NowMillis();
  for (const LineageEdge& e : edges) {
    KILN_RETURN_IF_ERROR(
        s.Exec("INSERT INTO lineage_edges (src_kind, src_id, dst_kind, dst_id, label, "
               "created_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (src_kind, src_id, dst_kind, "
               "dst_id, label) DO NOTHING",
               {e.src_kind, e.src_id, e.dst_kind, e.dst_id, e.label, now}));
  }
  return Status::Ok();
}

constexpr const char* kRunColumns =
    "run_id, pipeline_name, file, base_dir, spec, overrides_json, params_json, status, "
    "sweep_id, schedule_id, error, created_ms, started_ms, ended_ms";

PipelineRunRecord RunFromRow(const Row& row) {
  PipelineRunRecord run;
  run.run_id = row.Text(0);
  run.pipeline_name = row.Text(1);
  run.file = row.Text(2);
  run.base_dir = row.Text(3);
  run.spec = row.Text(4);
  nlohmann::json overrides = nlohmann::json::parse(row.Text(5), nullptr, false);
  if (overrides.is_array()) {
    for (const auto& item : overrides) {
      if (item.is_string()) run.overrides.push_back(item.get<std::string>());
    }
  }
  run.params_json = row.Text(6);
  run.state = StateOf(row.Text(7));
  run.sweep_id = row.Text(8);
  run.schedule_id = row.Text(9);
  run.error = row.Text(10);
  run.created_ms = row.Int(11);
  run.started_ms = row.Int(12);
  run.ended_ms = row.Int(13);
  return run;
}

StepRecord StepFromRow(const Row& row) {
  StepRecord step;
  step.step = row.Text(0);
  step.position = row.Int(1);
  step.run_id = row.Text(2);
  step.state = StateOf(row.Text(3));
  step.cache_key = row.Text(4);
  step.cached = row.Int(5) != 0;
  step.attempts = row.Int(6);
  if (!row.IsNull(7)) step.exit_code = row.Int(7);
  step.error = row.Text(8);
  step.log_path = row.Text(9);
  step.started_ms = row.Int(10);
  step.ended_ms = row.Int(11);
  return step;
}

Status LoadSteps(Session& s, PipelineRunRecord& run) {
  KILN_ASSIGN_OR_RETURN(
      Rows rows, s.Query("SELECT step, position, run_id, status, cache_key, cached, attempts, "
                         "exit_code, error, log_path, started_ms, ended_ms FROM step_runs "
                         "WHERE pipeline_run_id = ? ORDER BY position",
                         {run.run_id}));
  for (const Row& row : rows) run.steps.push_back(StepFromRow(row));
  KILN_ASSIGN_OR_RETURN(
      Rows outputs, s.Query("SELECT step, output, type, digest, is_tree FROM step_outputs WHERE "
                            "pipeline_run_id = ? ORDER BY step, output",
                            {run.run_id}));
  for (const Row& row : outputs) {
    for (StepRecord& step : run.steps) {
      if (step.step != row.Text(0)) continue;
      StepOutput output{row.Text(1), ArtifactType::kFile, row.Text(3), row.Int(4) != 0};
      ArtifactTypeFromName(row.Text(2), &output.type);
      step.outputs.push_back(std::move(output));
    }
  }
  return Status::Ok();
}

}  // namespace

const char* RunStateName(RunState state) { return kStateNames[static_cast<int>(state)]; }

bool RunStateFromName(std::string_view name, RunState* state) {
  for (int i = 0; i < 7; ++i) {
    if (name == kStateNames[i]) {
      *state = static_cast<RunState>(i);
      return true;
    }
  }
  return false;
}

bool IsFinal(RunState state) { return state != RunState::kPending && state != RunState::kRunning; }

Status RunRecords::Create(const PipelineRunRecord& run) {
  return store_.Write([&](Session& s) -> Status {
    KILN_RETURN_IF_ERROR(
        s.Exec(std::string("INSERT INTO pipeline_runs (") + kRunColumns +
                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {run.run_id, run.pipeline_name, run.file, run.base_dir, run.spec,
                nlohmann::json(run.overrides).dump(), run.params_json, RunStateName(run.state),
                OptionalText(run.sweep_id), OptionalText(run.schedule_id), OptionalText(run.error),
                run.created_ms, OptionalTime(run.started_ms), OptionalTime(run.ended_ms)}));
    for (const StepRecord& step : run.steps) KILN_RETURN_IF_ERROR(InsertStep(s, run.run_id, step));
    return Status::Ok();
  });
}

Status RunRecords::SetRunState(const std::string& run_id, RunState state, const std::string& error,
                               int64_t started_ms, int64_t ended_ms) {
  return store_.Write([&](Session& s) -> Status {
    KILN_RETURN_IF_ERROR(
        s.Exec("UPDATE pipeline_runs SET status = ?, error = ?, started_ms = COALESCE(?, "
               "started_ms), ended_ms = CASE WHEN ? = 1 THEN COALESCE(?, ended_ms) END "
               "WHERE run_id = ?",
               {RunStateName(state), OptionalText(error), OptionalTime(started_ms),
                int64_t{IsFinal(state)}, OptionalTime(ended_ms), run_id}));
    if (s.Changes() == 0) return NotFound("pipeline run '" + run_id + "' not found");
    return Status::Ok();
  });
}

Status RunRecords::SaveStep(const std::string& run_id, const StepRecord& step,
                            const std::vector<LineageEdge>& edges) {
  return store_.Write([&](Session& s) -> Status {
    KILN_RETURN_IF_ERROR(InsertStep(s, run_id, step));
    KILN_RETURN_IF_ERROR(ReplaceOutputs(s, run_id, step));
    return InsertEdges(s, edges);
  });
}

Status RunRecords::PutCache(const std::string& cache_key, const std::string& run_id,
                            const std::string& step, const std::vector<StepOutput>& outputs) {
  return store_.Write([&](Session& s) {
    return s.Exec(
        "INSERT INTO step_cache (cache_key, pipeline_run_id, step, outputs_json, created_ms) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (cache_key) DO NOTHING",
        {cache_key, run_id, step, EncodeOutputs(outputs), NowMillis()});
  });
}

Result<std::optional<std::vector<StepOutput>>> RunRecords::LookupCache(
    const std::string& cache_key) {
  std::optional<std::vector<StepOutput>> found;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(
        Rows rows, s.Query("SELECT outputs_json FROM step_cache WHERE cache_key = ?", {cache_key}));
    if (!rows.empty()) found = DecodeOutputs(rows[0].Text(0));
    return Status::Ok();
  }));
  return found;
}

Status RunRecords::DropCache(const std::string& cache_key) {
  return store_.Write([&](Session& s) {
    return s.Exec("DELETE FROM step_cache WHERE cache_key = ?", {cache_key});
  });
}

Result<std::string> RunRecords::CacheSourceRun(const std::string& cache_key) {
  std::string run_id;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Rows rows,
                          s.Query("SELECT s.run_id FROM step_cache c JOIN step_runs s ON "
                                  "s.pipeline_run_id = c.pipeline_run_id AND s.step = c.step WHERE "
                                  "c.cache_key = ?",
                                  {cache_key}));
    if (!rows.empty()) run_id = rows[0].Text(0);
    return Status::Ok();
  }));
  return run_id;
}

Status RunRecords::CheckExists(const std::string& run_id) {
  return store_.Read([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Rows rows,
                          s.Query("SELECT 1 FROM pipeline_runs WHERE run_id = ?", {run_id}));
    return rows.empty() ? NotFound("pipeline run '" + run_id + "' not found") : Status::Ok();
  });
}

Result<PipelineRunRecord> RunRecords::Get(const std::string& run_id) {
  PipelineRunRecord run;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Rows rows, s.Query(std::string("SELECT ") + kRunColumns +
                                                 " FROM pipeline_runs WHERE run_id = ?",
                                             {run_id}));
    if (rows.empty()) return NotFound("pipeline run '" + run_id + "' not found");
    run = RunFromRow(rows[0]);
    return LoadSteps(s, run);
  }));
  return run;
}

Result<Page<PipelineRunRecord>> RunRecords::List(const RunListQuery& query) {
  std::string sql = std::string("SELECT ") + kRunColumns + " FROM pipeline_runs WHERE 1 = 1";
  std::vector<Value> args;
  if (!query.pipeline_name.empty()) {
    sql += " AND pipeline_name = ?";
    args.push_back(query.pipeline_name);
  }
  if (!query.sweep_id.empty()) {
    sql += " AND sweep_id = ?";
    args.push_back(query.sweep_id);
  }
  if (!query.schedule_id.empty()) {
    sql += " AND schedule_id = ?";
    args.push_back(query.schedule_id);
  }
  if (query.state) {
    sql += " AND status = ?";
    args.push_back(RunStateName(*query.state));
  }
  sql += " ORDER BY created_ms DESC, run_id";
  Page<PipelineRunRecord> page;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Page<Row> rows,
                          store::QueryPage(s, sql, args, query.max_results, query.page_token));
    for (const Row& row : rows.items) page.items.push_back(RunFromRow(row));
    page.next_page_token = std::move(rows.next_page_token);
    return Status::Ok();
  }));
  return page;
}

Result<std::vector<LineageEdge>> RunRecords::Lineage(const std::string& kind,
                                                     const std::string& id) {
  std::vector<LineageEdge> edges;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(
        Rows rows, s.Query("SELECT src_kind, src_id, dst_kind, dst_id, label FROM lineage_edges "
                           "WHERE (src_kind = ? AND src_id = ?) OR (dst_kind = ? AND dst_id = ?) "
                           "ORDER BY created_ms, src_id, dst_id",
                           {kind, id, kind, id}));
    for (const Row& r : rows) {
      edges.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)});
    }
    return Status::Ok();
  }));
  return edges;
}

Status RunRecords::CreateSweep(const std::string& sweep_id, const std::string& pipeline_name,
                               const std::string& spec_json) {
  return store_.Write([&](Session& s) {
    return s.Exec(
        "INSERT INTO sweeps (sweep_id, pipeline_name, spec_json, created_ms) VALUES (?, ?, ?, ?)",
        {sweep_id, pipeline_name, spec_json, NowMillis()});
  });
}

}  // namespace kiln::pipeline
