#include "tracking/run_rows.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace kiln::tracking {

RunInfo RunInfoFromRow(const store::Row& row) {
  RunInfo info;
  info.run_id = row.Text(0);
  info.run_name = row.Text(1);
  info.experiment_id = row.Text(2);
  info.user_id = row.Text(3);
  info.status = row.Text(4);
  info.start_time = row.Int(5);
  if (!row.IsNull(6)) info.end_time = row.Int(6);
  info.artifact_uri = row.Text(7);
  info.lifecycle_stage = row.Text(8);
  return info;
}

Experiment ExperimentFromRow(const store::Row& row) {
  Experiment e;
  e.experiment_id = row.Text(0);
  e.name = row.Text(1);
  e.artifact_location = row.Text(2);
  e.lifecycle_stage = row.Text(3);
  e.creation_time = row.Int(4);
  e.last_update_time = row.Int(5);
  return e;
}

Result<RunInfo> LoadRunInfo(store::Session& session, const std::string& run_id) {
  KILN_ASSIGN_OR_RETURN(store::Rows rows, session.Query(std::string("SELECT ") + kRunColumns +
                                                            " FROM runs r WHERE r.run_id = ?",
                                                        {run_id}));
  if (rows.empty()) return NotFound("Run with id=" + run_id + " not found");
  return RunInfoFromRow(rows[0]);
}

namespace {

Status LoadKeyValues(store::Session& session, const char* sql, const std::string& run_id,
                     std::vector<Tag>& out) {
  KILN_ASSIGN_OR_RETURN(store::Rows rows, session.Query(sql, {run_id}));
  for (const store::Row& row : rows) out.push_back({row.Text(0), row.Text(1)});
  return Status::Ok();
}

Status LoadLatestMetrics(store::Session& session, Run& run) {
  KILN_ASSIGN_OR_RETURN(
      store::Rows rows,
      session.Query("SELECT key, value, is_nan, timestamp, step FROM latest_metrics "
                    "WHERE run_id = ? ORDER BY key",
                    {run.info.run_id}));
  for (const store::Row& row : rows) {
    double value = row.Int(2) ? std::numeric_limits<double>::quiet_NaN() : row.Real(1);
    run.metrics.push_back({row.Text(0), value, row.Int(3), row.Int(4)});
  }
  return Status::Ok();
}

Status LoadInputs(store::Session& session, Run& run);

}  // namespace

Status LoadRunData(store::Session& session, Run& run) {
  KILN_RETURN_IF_ERROR(LoadLatestMetrics(session, run));
  KILN_RETURN_IF_ERROR(LoadKeyValues(session,
                                     "SELECT key, value FROM params WHERE run_id = ? ORDER BY key",
                                     run.info.run_id, run.params));
  KILN_RETURN_IF_ERROR(LoadKeyValues(session,
                                     "SELECT key, value FROM tags WHERE run_id = ? ORDER BY key",
                                     run.info.run_id, run.tags));
  return LoadInputs(session, run);
}

// Input tags are stored as "key\x1fvalue\x1e..." so the store needs no JSON library.
std::string EncodeInputTags(const std::vector<Tag>& tags) {
  std::string out;
  for (const Tag& tag : tags) out += tag.key + '\x1f' + tag.value + '\x1e';
  return out;
}

std::vector<Tag> DecodeInputTags(const std::string& encoded) {
  std::vector<Tag> tags;
  size_t start = 0;
  while (start < encoded.size()) {
    size_t end = encoded.find('\x1e', start);
    if (end == std::string::npos) end = encoded.size();
    std::string item = encoded.substr(start, end - start);
    size_t sep = item.find('\x1f');
    if (sep != std::string::npos) tags.push_back({item.substr(0, sep), item.substr(sep + 1)});
    start = end + 1;
  }
  return tags;
}

namespace {

Status LoadInputs(store::Session& session, Run& run) {
  KILN_ASSIGN_OR_RETURN(
      store::Rows rows,
      session.Query("SELECT name, digest, source_type, source, schema, profile, tags_json "
                    "FROM run_inputs WHERE run_id = ? ORDER BY seq",
                    {run.info.run_id}));
  for (const store::Row& row : rows) {
    DatasetInput input;
    input.dataset = {row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5)};
    input.tags = DecodeInputTags(row.Text(6));
    run.inputs.push_back(std::move(input));
  }
  return Status::Ok();
}

}  // namespace

Result<Run> LoadRun(store::Session& session, const std::string& run_id) {
  Run run;
  KILN_ASSIGN_OR_RETURN(run.info, LoadRunInfo(session, run_id));
  KILN_RETURN_IF_ERROR(LoadRunData(session, run));
  return run;
}

Result<int64_t> ParseExperimentId(const std::string& experiment_id) {
  int64_t id = 0;
  auto [end, ec] =
      std::from_chars(experiment_id.data(), experiment_id.data() + experiment_id.size(), id);
  if (ec != std::errc() || end != experiment_id.data() + experiment_id.size() || id < 0) {
    return NotFound("No Experiment with id=" + experiment_id + " exists");
  }
  return id;
}

Status LoadExperimentTags(store::Session& session, Experiment& experiment) {
  KILN_ASSIGN_OR_RETURN(store::Rows rows,
                        session.Query("SELECT key, value FROM experiment_tags WHERE "
                                      "experiment_id = ? ORDER BY key",
                                      {std::stoll(experiment.experiment_id)}));
  for (const store::Row& row : rows) experiment.tags.push_back({row.Text(0), row.Text(1)});
  return Status::Ok();
}

Result<Experiment> LoadExperiment(store::Session& session, const std::string& experiment_id) {
  KILN_ASSIGN_OR_RETURN(int64_t id, ParseExperimentId(experiment_id));
  KILN_ASSIGN_OR_RETURN(store::Rows rows,
                        session.Query(std::string("SELECT ") + kExperimentColumns +
                                          " FROM experiments e WHERE e.experiment_id = ?",
                                      {id}));
  if (rows.empty()) return NotFound("No Experiment with id=" + experiment_id + " exists");
  Experiment experiment = ExperimentFromRow(rows[0]);
  KILN_RETURN_IF_ERROR(LoadExperimentTags(session, experiment));
  return experiment;
}

Status RequireActiveRun(const RunInfo& info) {
  if (info.lifecycle_stage == kActive) return Status::Ok();
  return FailedPrecondition("The run " + info.run_id +
                            " must be in the 'active' state. Current state is " +
                            info.lifecycle_stage + ".");
}

}  // namespace kiln::tracking
