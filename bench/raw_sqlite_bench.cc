// The floor: what SQLite alone costs for the same work, with no Kiln code in the way.
//   RawSqlite_LogBatch1000 / RawSqlite_LogMetric: one transaction that inserts into tables
//     shaped like Kiln's metrics and latest_metrics (same columns, keys, indexes and
//     upsert), with prepared statements, WAL and synchronous=NORMAL like Kiln.
//   RawSqlite_LogBatch1000_LatestPerKey: the same, but one latest_metrics upsert per distinct
//     key (10) instead of per metric (1,000): what collapsing the batch first would cost.
//   RawSqlite_InsertOnly1000: the trivial loop: 1,000 plain INSERTs into the metrics table.
//   RawSqlite_SearchPage/0,1: page queries of runs/search (run columns of 101 runs) on the
//     search dataset, without loading each run's metrics, params and tags: /0 the one Kiln
//     issues in the default order, /1 the general statement for the order on a metric (what
//     Kiln issued before issue 14); /2,3: the same rows through other SQL shapes (see
//     MakePageCase).
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "bench_env.h"
#include "common/ids.h"
#include "latency.h"
#include "search_dataset.h"

namespace kiln::bench {
namespace {

// The same pragmas as Kiln's SqliteConnection, so the floor differs only in the code around.
constexpr const char* kReadPragmas = "PRAGMA query_only=1; PRAGMA cache_size=-65536;";
constexpr const char* kSchema =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; "
    "PRAGMA temp_store=MEMORY;"
    "CREATE TABLE IF NOT EXISTS metrics (run_id TEXT NOT NULL, key TEXT NOT NULL, value DOUBLE "
    "PRECISION, is_nan INTEGER NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS metrics_by_run ON metrics (run_id, key, step);"
    "CREATE TABLE IF NOT EXISTS latest_metrics (run_id TEXT NOT NULL, key TEXT NOT NULL, value "
    "DOUBLE PRECISION, is_nan INTEGER NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL, "
    "PRIMARY KEY (run_id, key));"
    "CREATE INDEX IF NOT EXISTS latest_metrics_by_key ON latest_metrics (key, value);";

constexpr const char* kUpsertLatest =
    "INSERT INTO latest_metrics VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE "
    "SET value = excluded.value, is_nan = excluded.is_nan, timestamp = excluded.timestamp, "
    "step = excluded.step WHERE excluded.step > latest_metrics.step OR (excluded.step = "
    "latest_metrics.step AND (excluded.timestamp > latest_metrics.timestamp OR "
    "(excluded.timestamp = latest_metrics.timestamp AND COALESCE(excluded.value, -1e308) >= "
    "COALESCE(latest_metrics.value, -1e308))))";

void Check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    Die(what, Internal(sqlite3_errmsg(db)));
  }
}

class RawDb {
 public:
  explicit RawDb(const std::string& path, bool read_only = false) {
    const int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    Check(db_, sqlite3_open_v2(path.c_str(), &db_, flags, nullptr), "sqlite3_open");
    Check(db_, sqlite3_exec(db_, read_only ? kReadPragmas : kSchema, nullptr, nullptr, nullptr),
          "schema");
  }
  ~RawDb() {
    for (sqlite3_stmt* s : statements_) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    Check(db_, sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr), sql);
    statements_.push_back(stmt);
    return stmt;
  }
  void Exec(const char* sql) { Check(db_, sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), sql); }
  void Step(sqlite3_stmt* stmt) {
    Check(db_, sqlite3_step(stmt), "step");
    sqlite3_reset(stmt);
  }

 private:
  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> statements_;
};

void BindMetric(sqlite3_stmt* stmt, const std::string& run_id, const tracking::Metric& m) {
  sqlite3_bind_text(stmt, 1, run_id.data(), static_cast<int>(run_id.size()), SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, m.key.data(), static_cast<int>(m.key.size()), SQLITE_STATIC);
  sqlite3_bind_double(stmt, 3, m.value);
  sqlite3_bind_int64(stmt, 4, 0);
  sqlite3_bind_int64(stmt, 5, m.timestamp);
  sqlite3_bind_int64(stmt, 6, m.step);
}

enum class Latest {
  kNone,    // metrics table only: the trivial insert loop
  kEach,    // one latest_metrics upsert per metric, as Kiln's LogBatch does
  kPerKey,  // one upsert per distinct key (the batch's last step of each key)
};

// Logs `metrics` metrics per iteration in one transaction, with prepared statements.
void RunRawLog(benchmark::State& state, int metrics, Latest latest_mode) {
  RawDb db(ScratchDir() + "/raw-" + std::to_string(metrics) + "-" +
           std::to_string(static_cast<int>(latest_mode)) + ".db");
  sqlite3_stmt* insert = db.Prepare("INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)");
  sqlite3_stmt* latest = db.Prepare(kUpsertLatest);
  const std::string run_id = NewHexId();
  LatencyRecorder latency(state);
  int64_t step = 0;
  for (auto _ : state) {
    const tracking::Batch batch = MetricBatch(step, metrics);
    step += metrics;
    latency.Time([&] {
      db.Exec("BEGIN IMMEDIATE");
      for (const tracking::Metric& m : batch.metrics) {
        BindMetric(insert, run_id, m);
        db.Step(insert);
        if (latest_mode != Latest::kEach) continue;
        BindMetric(latest, run_id, m);
        db.Step(latest);
      }
      if (latest_mode == Latest::kPerKey) {
        // MetricBatch's last metrics carry the highest step of each of its 10 keys.
        const size_t keys = std::min<size_t>(10, batch.metrics.size());
        for (size_t i = batch.metrics.size() - keys; i < batch.metrics.size(); ++i) {
          BindMetric(latest, run_id, batch.metrics[i]);
          db.Step(latest);
        }
      }
      db.Exec("COMMIT");
    });
  }
  latency.Report();
  state.SetItemsProcessed(state.iterations() * metrics);
}

void BM_RawSqlite_LogBatch1000(benchmark::State& state) { RunRawLog(state, 1000, Latest::kEach); }
BENCHMARK(BM_RawSqlite_LogBatch1000)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_RawSqlite_LogBatch1000_LatestPerKey(benchmark::State& state) {
  RunRawLog(state, 1000, Latest::kPerKey);
}
BENCHMARK(BM_RawSqlite_LogBatch1000_LatestPerKey)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_RawSqlite_InsertOnly1000(benchmark::State& state) { RunRawLog(state, 1000, Latest::kNone); }
BENCHMARK(BM_RawSqlite_InsertOnly1000)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_RawSqlite_LogMetric(benchmark::State& state) { RunRawLog(state, 1, Latest::kEach); }
BENCHMARK(BM_RawSqlite_LogMetric)->UseManualTime()->Unit(benchmark::kMicrosecond);

// Page queries on the search dataset. Case 0 is the statement TrackingService::SearchRuns
// builds for the filtered benchmark in the default order; case 1 the general statement it
// used for the order on acc before issue 14 (now only when the walk of run_search_page.h
// gives up); cases 2 and 3 return the same rows through a different SQL shape (a correlated
// EXISTS filter, and walking latest_metrics_by_key in value order, close to what Kiln now
// does), to show what the query shape costs.
constexpr const char* kRunCols =
    "r.run_id, r.name, r.experiment_id, r.user_id, r.status, r.start_time, r.end_time, "
    "r.artifact_uri, r.lifecycle_stage";
constexpr const char* kInFilter =
    "r.run_id IN (SELECT x.run_id FROM latest_metrics x WHERE x.key = ?2 AND x.is_nan = 0 AND "
    "x.value > ?3)";
constexpr const char* kExistsFilter =
    "EXISTS (SELECT 1 FROM latest_metrics x WHERE x.run_id = r.run_id AND x.key = ?2 AND "
    "x.is_nan = 0 AND x.value > ?3)";
constexpr const char* kAccOrder =
    " ORDER BY (SELECT x.value FROM latest_metrics x WHERE x.run_id = r.run_id AND x.key = ?2) "
    "IS NULL, (SELECT x.value FROM latest_metrics x WHERE x.run_id = r.run_id AND x.key = ?2) "
    "DESC, r.run_id ASC";
constexpr const char* kDefaultOrder = " ORDER BY r.start_time DESC, r.run_id ASC";

struct PageCase {
  const char* label;
  std::string sql;  // ?1 experiment id, ?2 metric key, ?3 threshold, ?4 limit
};

PageCase MakePageCase(int64_t index) {
  const std::string where =
      std::string(" WHERE r.lifecycle_stage = 'active' AND r.experiment_id IN (?1) AND ");
  const std::string select = std::string("SELECT ") + kRunCols;
  switch (index) {
    case 0:
      return {"kiln SQL: acc > 0.9, default order",
              select + " FROM runs r" + where + kInFilter + kDefaultOrder + " LIMIT ?4 OFFSET 0"};
    case 1:
      return {"kiln SQL: acc > 0.9, acc DESC",
              select + " FROM runs r" + where + kInFilter + kAccOrder + " LIMIT ?4 OFFSET 0"};
    case 2:
      return {
          "alternative SQL (EXISTS): acc > 0.9, default order",
          select + " FROM runs r" + where + kExistsFilter + kDefaultOrder + " LIMIT ?4 OFFSET 0"};
    default:
      return {"alternative SQL (walk latest_metrics_by_key): acc > 0.9, acc DESC",
              select +
                  " FROM latest_metrics o CROSS JOIN runs r ON r.run_id = o.run_id AND "
                  "o.key = ?2" +
                  where + kExistsFilter + " ORDER BY o.value DESC, r.run_id ASC LIMIT ?4 OFFSET 0"};
  }
}

void BM_RawSqlite_SearchPage(benchmark::State& state) {
  const SearchDataset& d = GetSearchDataset();
  const PageCase page = MakePageCase(state.range(0));
  RawDb db(d.data_dir + "/kiln.db", /*read_only=*/true);
  sqlite3_stmt* stmt = db.Prepare(page.sql.c_str());
  sqlite3_bind_int64(stmt, 1, std::stoll(d.experiment_id));
  sqlite3_bind_text(stmt, 2, "acc", 3, SQLITE_STATIC);
  sqlite3_bind_double(stmt, 3, 0.9);
  sqlite3_bind_int64(stmt, 4, 101);  // Kiln asks for one more row than the page
  LatencyRecorder latency(state);
  int rows = 0;
  for (auto _ : state) {
    latency.Time([&] {
      rows = 0;
      while (sqlite3_step(stmt) == SQLITE_ROW) ++rows;
      sqlite3_reset(stmt);
    });
  }
  latency.Report();
  state.counters["returned"] = rows;
  state.SetLabel(page.label);
}
BENCHMARK(BM_RawSqlite_SearchPage)
    ->DenseRange(0, 3)
    ->UseManualTime()
    ->MinTime(1.0)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kiln::bench
