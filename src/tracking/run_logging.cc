// TrackingService: logging into a run (metrics, params, tags, inputs, models) and reading
// metric histories.
#include <cmath>
#include <limits>
#include <map>

#include "meta/search_paging.h"
#include "tracking/run_rows.h"
#include "tracking/tracking_service.h"
#include "tracking/validation.h"

namespace kiln::tracking {
namespace {

Status ValidateBatch(const Batch& batch) {
  KILN_RETURN_IF_ERROR(ValidateBatchSize(batch));
  for (const Metric& m : batch.metrics) KILN_RETURN_IF_ERROR(ValidateMetric(m));
  for (const Param& p : batch.params) KILN_RETURN_IF_ERROR(ValidateParam(p));
  for (const Tag& t : batch.tags) KILN_RETURN_IF_ERROR(ValidateTag(t));
  std::map<std::string, std::string> seen;
  for (const Param& p : batch.params) {
    auto [it, inserted] = seen.emplace(p.key, p.value);
    if (!inserted && it->second != p.value) {
      return InvalidArgument("Duplicate parameter keys have been submitted: '" + p.key +
                             "' with different values");
    }
  }
  return Status::Ok();
}

Status WriteParam(store::Session& s, const std::string& run_id, const Param& param) {
  KILN_ASSIGN_OR_RETURN(
      store::Rows rows,
      s.Query("SELECT value FROM params WHERE run_id = ? AND key = ?", {run_id, param.key}));
  if (rows.empty())
    return s.Exec("INSERT INTO params VALUES (?, ?, ?)", {run_id, param.key, param.value});
  if (rows[0].Text(0) == param.value) return Status::Ok();
  return InvalidArgument("Changing param values is not allowed. Param with key='" + param.key +
                         "' was already logged with value='" + rows[0].Text(0) + "' for run ID='" +
                         run_id + "'. Attempted logging new value '" + param.value + "'.");
}

Status WriteTag(store::Session& s, const std::string& run_id, const Tag& tag) {
  KILN_RETURN_IF_ERROR(
      s.Exec("INSERT INTO tags VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO "
             "UPDATE SET value = excluded.value",
             {run_id, tag.key, tag.value}));
  if (tag.key != kRunNameTag) return Status::Ok();
  return s.Exec("UPDATE runs SET name = ? WHERE run_id = ?", {tag.value, run_id});
}

// NaN is stored as NULL with is_nan = 1.
std::vector<store::Value> MetricRow(const std::string& run_id, const Metric& m) {
  const bool is_nan = std::isnan(m.value);
  return {run_id,
          m.key,
          store::NullableReal(is_nan ? std::nullopt : std::optional(m.value)),
          int64_t{is_nan},
          m.timestamp,
          m.step};
}

// MLflow's order of "latest": greater (step, timestamp, value), NaN ranking lowest.
bool IsLater(const Metric& a, const Metric& b) {
  if (a.step != b.step) return a.step > b.step;
  if (a.timestamp != b.timestamp) return a.timestamp > b.timestamp;
  if (std::isnan(b.value)) return !std::isnan(a.value);
  return !std::isnan(a.value) && a.value > b.value;
}

// Appends every metric to the history, then moves latest_metrics once per key (not once
// per metric: that halves the statements of a typical batch).
Status WriteMetrics(store::Session& s, const std::string& run_id,
                    const std::vector<Metric>& metrics) {
  std::map<std::string, const Metric*> latest;
  for (const Metric& m : metrics) {
    KILN_RETURN_IF_ERROR(
        s.Exec("INSERT INTO metrics (run_id, key, value, is_nan, timestamp, step) VALUES (?, ?, "
               "?, ?, ?, ?)",
               MetricRow(run_id, m)));
    const Metric*& best = latest[m.key];
    if (best == nullptr || IsLater(m, *best)) best = &m;
  }
  for (const auto& [key, m] : latest) {
    KILN_RETURN_IF_ERROR(s.Exec(
        "INSERT INTO latest_metrics VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, key) DO "
        "UPDATE SET value = excluded.value, is_nan = excluded.is_nan, timestamp = "
        "excluded.timestamp, step = excluded.step WHERE excluded.step > latest_metrics.step OR "
        "(excluded.step = latest_metrics.step AND (excluded.timestamp > "
        "latest_metrics.timestamp OR (excluded.timestamp = latest_metrics.timestamp AND "
        "(latest_metrics.is_nan = 1 OR (excluded.is_nan = 0 AND excluded.value >= "
        "latest_metrics.value)))))",
        MetricRow(run_id, *m)));
  }
  return Status::Ok();
}

// Runs `fn` in a write transaction on an existing, active run.
Status WithActiveRun(store::MetaStore& store, const std::string& run_id,
                     const std::function<Status(store::Session&)>& fn) {
  return store.Write([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(RunInfo info, LoadRunInfo(s, run_id));
    KILN_RETURN_IF_ERROR(RequireActiveRun(info));
    return fn(s);
  });
}

}  // namespace

Status TrackingService::LogBatch(const std::string& run_id, const Batch& batch) {
  KILN_RETURN_IF_ERROR(ValidateBatch(batch));
  return WithActiveRun(store_, run_id, [&](store::Session& s) -> Status {
    for (const Param& p : batch.params) KILN_RETURN_IF_ERROR(WriteParam(s, run_id, p));
    for (const Tag& t : batch.tags) KILN_RETURN_IF_ERROR(WriteTag(s, run_id, t));
    KILN_RETURN_IF_ERROR(WriteMetrics(s, run_id, batch.metrics));
    return Status::Ok();
  });
}

Status TrackingService::DeleteTag(const std::string& run_id, const std::string& key) {
  return WithActiveRun(store_, run_id, [&](store::Session& s) -> Status {
    KILN_RETURN_IF_ERROR(s.Exec("DELETE FROM tags WHERE run_id = ? AND key = ?", {run_id, key}));
    if (s.Changes() == 0) {
      return NotFound("No tag with name: " + key + " in run with id " + run_id);
    }
    return Status::Ok();
  });
}

Status TrackingService::LogInputs(const std::string& run_id,
                                  const std::vector<DatasetInput>& inputs) {
  for (const DatasetInput& input : inputs) {
    if (input.dataset.name.empty()) return InvalidArgument("Missing value for 'dataset.name'");
    if (input.dataset.digest.empty()) return InvalidArgument("Missing value for 'dataset.digest'");
  }
  return WithActiveRun(store_, run_id, [&](store::Session& s) -> Status {
    for (const DatasetInput& input : inputs) {
      const Dataset& d = input.dataset;
      KILN_RETURN_IF_ERROR(s.Exec(
          "INSERT INTO run_inputs (run_id, name, digest, source_type, source, schema, profile, "
          "tags_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, name, digest) DO "
          "NOTHING",
          {run_id, d.name, d.digest, d.source_type, d.source, d.schema, d.profile,
           EncodeInputTags(input.tags)}));
    }
    return Status::Ok();
  });
}

Status TrackingService::LogModel(const std::string& run_id, const std::string& model_json) {
  static const std::string kHistoryTag = "mlflow.log-model.history";
  return WithActiveRun(store_, run_id, [&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(
        store::Rows rows,
        s.Query("SELECT value FROM tags WHERE run_id = ? AND key = ?", {run_id, kHistoryTag}));
    // The history is a JSON list of the logged model objects; append textually.
    std::string history = rows.empty() ? "" : rows[0].Text(0);
    if (history.size() < 2 || history.back() != ']') history = "[]";
    history.pop_back();
    history += (history.size() > 1 ? "," : "") + model_json + "]";
    return WriteTag(s, run_id, {kHistoryTag, history});
  });
}

Status TrackingService::CopyRunResults(const std::string& run_id,
                                       const std::string& source_run_id) {
  return WithActiveRun(store_, run_id, [&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(RunInfo source, LoadRunInfo(s, source_run_id));
    const std::vector<store::Value> ids = {run_id, source.run_id};
    KILN_RETURN_IF_ERROR(
        s.Exec("INSERT INTO params (run_id, key, value) SELECT ?, key, value FROM params WHERE "
               "run_id = ? ON CONFLICT (run_id, key) DO NOTHING",
               ids));
    KILN_RETURN_IF_ERROR(
        s.Exec("INSERT INTO tags (run_id, key, value) SELECT ?, key, value FROM tags WHERE "
               "run_id = ? AND key NOT LIKE 'mlflow.%' ON CONFLICT (run_id, key) DO NOTHING",
               ids));
    KILN_RETURN_IF_ERROR(
        s.Exec("INSERT INTO metrics (run_id, key, value, is_nan, timestamp, step) SELECT ?, key, "
               "value, is_nan, timestamp, step FROM latest_metrics WHERE run_id = ?",
               ids));
    return s.Exec(
        "INSERT INTO latest_metrics (run_id, key, value, is_nan, timestamp, step) SELECT ?, key, "
        "value, is_nan, timestamp, step FROM latest_metrics WHERE run_id = ? ON CONFLICT "
        "(run_id, key) DO NOTHING",
        ids);
  });
}

Result<Page<Metric>> TrackingService::GetMetricHistory(const std::string& run_id,
                                                       const std::string& key, int64_t max_results,
                                                       const std::string& page_token) {
  Page<Metric> out;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(RunInfo info, LoadRunInfo(s, run_id));
    KILN_ASSIGN_OR_RETURN(
        Page<store::Row> page,
        meta::QueryPage(
            s,
            "SELECT key, value, is_nan, timestamp, step FROM metrics WHERE run_id = ? AND "
            "key = ? ORDER BY step, timestamp, seq",
            {run_id, key}, max_results, page_token));
    out.next_page_token = page.next_page_token;
    for (const store::Row& row : page.items) {
      double value = row.Int(2) ? std::numeric_limits<double>::quiet_NaN() : row.Real(1);
      out.items.push_back({row.Text(0), value, row.Int(3), row.Int(4)});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace kiln::tracking
