#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store/meta_store.h"
#include "store/migrations.h"

namespace kiln::store {
namespace {

namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_store_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "kiln.db").string();
    Reopen();
    ASSERT_TRUE(Write("CREATE TABLE t (k TEXT PRIMARY KEY, v DOUBLE PRECISION)").ok());
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void Reopen() {
    store_.reset();
    auto opened = OpenSqliteStore(path_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
  }

  Status Write(const std::string& sql, const std::vector<Value>& args = {}) {
    return store_->Write([&](Session& s) { return s.Exec(sql, args); });
  }

  // All rows of `sql` read through MetaStore::Read; fails the test on error.
  Rows Query(const std::string& sql, const std::vector<Value>& args = {}) {
    Rows rows;
    Status status = store_->Read([&](Session& s) -> Status {
      KILN_ASSIGN_OR_RETURN(rows, s.Query(sql, args));
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return rows;
  }

  int64_t Count() { return Query("SELECT COUNT(*) FROM t")[0].Int(0); }

  // Undoes migration 9 (users, tokens, projects), so a test can re-run the ones before it.
  void DropAuthTables() {
    for (const char* table : {"tokens", "users", "project_members", "projects"}) {
      ASSERT_TRUE(Write(std::string("DROP TABLE ") + table).ok()) << table;
    }
  }

  fs::path dir_;
  std::string path_;
  std::unique_ptr<MetaStore> store_;
};

TEST_F(StoreTest, PipelinesMigrationKeepsTheNewestRunOfEachPipeline) {
  // Back to before migrations 5 to 9, with runs of two pipelines (two at the same millisecond).
  ASSERT_TRUE(Write("DROP INDEX pipeline_runs_by_pipeline").ok());
  ASSERT_TRUE(Write("DROP TABLE pipelines").ok());
  ASSERT_TRUE(Write("ALTER TABLE modules DROP COLUMN yanked_ms").ok());          // migration 6
  ASSERT_TRUE(Write("ALTER TABLE deployments DROP COLUMN strict_inputs").ok());  // migration 7
  ASSERT_TRUE(Write("ALTER TABLE deployments DROP COLUMN drift_min_rows").ok());
  DropAuthTables();  // migration 9
  ASSERT_TRUE(Write("DELETE FROM schema_migrations WHERE version >= 5").ok());
  const char* insert =
      "INSERT INTO pipeline_runs (run_id, pipeline_name, file, base_dir, spec, overrides_json, "
      "params_json, status, created_ms) VALUES (?, ?, ?, '/p', ?, '[]', '{}', 'SUCCEEDED', ?)";
  ASSERT_TRUE(Write(insert, {"r1", "a", "a.yaml", "old", int64_t{100}}).ok());
  ASSERT_TRUE(Write(insert, {"r2", "a", "a2.yaml", "new", int64_t{200}}).ok());
  ASSERT_TRUE(Write(insert, {"r3", "b", "b.yaml", "b1", int64_t{300}}).ok());
  ASSERT_TRUE(Write(insert, {"r4", "b", "b.yaml", "b2", int64_t{300}}).ok());
  ASSERT_TRUE(Write("INSERT INTO step_runs (pipeline_run_id, step, position, status) VALUES "
                    "('r2', 'x', 0, 'SUCCEEDED'), ('r2', 'y', 1, 'SUCCEEDED')")
                  .ok());
  ASSERT_TRUE(ApplyMigrations(*store_).ok());
  Rows rows = Query(
      "SELECT name, spec, file, step_count, created_ms, updated_ms FROM pipelines ORDER BY name");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Text(0), "a");
  EXPECT_EQ(rows[0].Text(1), "new");
  EXPECT_EQ(rows[0].Text(2), "a2.yaml");
  EXPECT_EQ(rows[0].Int(3), 2);
  EXPECT_EQ(rows[0].Int(4), 100);
  EXPECT_EQ(rows[0].Int(5), 200);
  EXPECT_EQ(rows[1].Text(0), "b");
  EXPECT_EQ(rows[1].Text(1), "b2");  // the same millisecond: the larger run id wins
}

TEST_F(StoreTest, SeqMigrationKeepsTheInsertionOrderOfMetricsAndInputs) {
  // Back to before migration 8: metrics and run_inputs without seq, ordered only by rowid.
  ASSERT_TRUE(Write("DROP TABLE metrics").ok());
  ASSERT_TRUE(Write("DROP TABLE run_inputs").ok());
  ASSERT_TRUE(Write("CREATE TABLE metrics (run_id TEXT NOT NULL, key TEXT NOT NULL, value DOUBLE "
                    "PRECISION, is_nan INTEGER NOT NULL, timestamp BIGINT NOT NULL, step BIGINT "
                    "NOT NULL)")
                  .ok());
  ASSERT_TRUE(Write("CREATE TABLE run_inputs (run_id TEXT NOT NULL, name TEXT NOT NULL, digest "
                    "TEXT NOT NULL, source_type TEXT NOT NULL, source TEXT NOT NULL, schema TEXT, "
                    "profile TEXT, tags_json TEXT NOT NULL, PRIMARY KEY (run_id, name, digest))")
                  .ok());
  DropAuthTables();  // migration 9
  ASSERT_TRUE(Write("DELETE FROM schema_migrations WHERE version >= 8").ok());
  for (double value : {5.0, 1.0, 9.0}) {
    ASSERT_TRUE(Write("INSERT INTO metrics VALUES ('r', 'm', ?, 0, 7, 2)", {value}).ok());
  }
  for (const char* name : {"zeta", "alpha"}) {
    ASSERT_TRUE(Write("INSERT INTO run_inputs VALUES ('r', ?, 'd', 'local', 's', NULL, NULL, '')",
                      {std::string(name)})
                    .ok());
  }
  ASSERT_TRUE(ApplyMigrations(*store_).ok());
  // New rows number themselves after the migrated ones.
  ASSERT_TRUE(Write("INSERT INTO metrics (run_id, key, value, is_nan, timestamp, step) VALUES "
                    "('r', 'm', 3, 0, 7, 2)")
                  .ok());
  ASSERT_TRUE(Write("INSERT INTO run_inputs (run_id, name, digest, source_type, source, "
                    "tags_json) VALUES ('r', 'mid', 'd', 'local', 's', '')")
                  .ok());
  std::vector<double> values;
  for (const Row& row : Query("SELECT value FROM metrics ORDER BY seq")) {
    values.push_back(row.Real(0));
  }
  EXPECT_EQ(values, (std::vector<double>{5, 1, 9, 3}));
  std::vector<std::string> names;
  for (const Row& row : Query("SELECT name FROM run_inputs ORDER BY seq")) {
    names.push_back(row.Text(0));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"zeta", "alpha", "mid"}));
  // (run_id, name, digest) stays unique, so ON CONFLICT on it still works.
  ASSERT_TRUE(Write("INSERT INTO run_inputs (run_id, name, digest, source_type, source, "
                    "tags_json) VALUES ('r', 'zeta', 'd', 'x', 'y', '') ON CONFLICT (run_id, "
                    "name, digest) DO NOTHING")
                  .ok());
  EXPECT_EQ(Query("SELECT COUNT(*) FROM run_inputs")[0].Int(0), 3);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'metrics_by_run'")[0].Int(0), 1);
}

TEST_F(StoreTest, StepOutputsMigrationDropsTheDigestIndexAndKeepsTheRows) {
  // Back to before migration 10: the index every step wrote to and no query read.
  ASSERT_TRUE(Write("CREATE INDEX step_outputs_by_digest ON step_outputs (digest)").ok());
  ASSERT_TRUE(Write("DELETE FROM schema_migrations WHERE version >= 10").ok());
  ASSERT_TRUE(Write("INSERT INTO step_outputs (pipeline_run_id, step, output, type, digest, "
                    "is_tree) VALUES ('r1', 'prep', 'csv', 'file', 'sha256:ab', 0)")
                  .ok());
  ASSERT_TRUE(ApplyMigrations(*store_).ok());
  EXPECT_EQ(
      Query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'step_outputs_by_digest'")[0].Int(0),
      0);
  Rows rows = Query("SELECT step, digest FROM step_outputs WHERE pipeline_run_id = 'r1'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(1), "sha256:ab");
}

TEST_F(StoreTest, MigrationsAreIdempotent) {
  // Opening again re-runs ApplyMigrations; so does calling it directly.
  Reopen();
  ASSERT_TRUE(ApplyMigrations(*store_).ok());
  Rows versions = Query("SELECT version FROM schema_migrations ORDER BY version");
  std::vector<int64_t> applied;
  for (const auto& row : versions) applied.push_back(row.Int(0));
  EXPECT_EQ(applied, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  // The schema is there and usable.
  Rows tables = Query(
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('experiments', "
      "'runs', 'metrics', 'latest_metrics', 'registered_models', 'model_versions')");
  EXPECT_EQ(tables[0].Int(0), 6);
}

TEST_F(StoreTest, WriteCommitsWhenCallbackSucceeds) {
  ASSERT_TRUE(store_
                  ->Write([](Session& s) -> Status {
                    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO t VALUES (?, ?)", {"a", 1.5}));
                    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO t VALUES (?, ?)", {"b", int64_t{2}}));
                    return Status::Ok();
                  })
                  .ok());
  Rows rows = Query("SELECT k, v FROM t ORDER BY k");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Text(0), "a");
  EXPECT_DOUBLE_EQ(rows[0].Real(1), 1.5);
  EXPECT_EQ(rows[1].Text(0), "b");
  EXPECT_EQ(rows[1].Int(1), 2);
}

TEST_F(StoreTest, WriteRollsBackWhenCallbackFails) {
  Status status = store_->Write([](Session& s) -> Status {
    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO t VALUES (?, ?)", {"a", 1.0}));
    return NotFound("changed my mind");
  });
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "changed my mind");
  EXPECT_EQ(Count(), 0);
  // The writer is usable again after the rollback.
  ASSERT_TRUE(Write("INSERT INTO t VALUES (?, ?)", {"b", 2.0}).ok());
  EXPECT_EQ(Count(), 1);
}

TEST_F(StoreTest, WriteRollsBackEarlierStatementsOnStatementError) {
  Status status = store_->Write([](Session& s) -> Status {
    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO t VALUES (?, ?)", {"a", 1.0}));
    return s.Exec("INSERT INTO no_such_table VALUES (1)");
  });
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_NE(status.message().find("no_such_table"), std::string::npos) << status.message();
  EXPECT_EQ(Count(), 0);
}

TEST_F(StoreTest, ConstraintViolationIsAlreadyExists) {
  ASSERT_TRUE(Write("INSERT INTO t VALUES (?, ?)", {"a", 1.0}).ok());
  Status status = Write("INSERT INTO t VALUES (?, ?)", {"a", 2.0});
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.ToString();
  Rows rows = Query("SELECT v FROM t WHERE k = 'a'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].Real(0), 1.0);
  // NOT NULL is a constraint too.
  status = store_->Write([](Session& s) {
    return s.Exec("INSERT INTO experiments VALUES (5, NULL, 'x', 'active', 0, 0)");
  });
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.ToString();
}

TEST_F(StoreTest, ChangesCountsRowsOfLastExec) {
  ASSERT_TRUE(Write("INSERT INTO t VALUES ('a', 1), ('b', 2), ('c', 3)").ok());
  int64_t changed = -1;
  ASSERT_TRUE(store_
                  ->Write([&](Session& s) -> Status {
                    KILN_RETURN_IF_ERROR(s.Exec("UPDATE t SET v = v + 1 WHERE v >= ?", {2.0}));
                    changed = s.Changes();
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(changed, 2);
}

TEST_F(StoreTest, ReadSeesCommittedDataButNotUncommitted) {
  ASSERT_TRUE(Write("INSERT INTO t VALUES (?, ?)", {"a", 1.0}).ok());
  EXPECT_EQ(Count(), 1);
  // While a write transaction is open, readers keep seeing the last committed state.
  int64_t seen_inside = -1;
  ASSERT_TRUE(store_
                  ->Write([&](Session& s) -> Status {
                    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO t VALUES (?, ?)", {"b", 2.0}));
                    seen_inside = Count();
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(seen_inside, 1);
  EXPECT_EQ(Count(), 2);
}

TEST_F(StoreTest, ReadRefusesWrites) {
  Status status = store_->Read([](Session& s) { return s.Exec("INSERT INTO t VALUES ('x', 1)"); });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(Count(), 0);
}

TEST_F(StoreTest, QueryReturnsTypedValuesAndNulls) {
  ASSERT_TRUE(Write("INSERT INTO t VALUES (?, ?)", {"n", Value()}).ok());
  Rows rows = Query("SELECT k, v, 7, 'text' FROM t");
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].size(), 4u);
  EXPECT_FALSE(rows[0].IsNull(0));
  EXPECT_TRUE(rows[0].IsNull(1));
  EXPECT_EQ(rows[0].Real(1), 0.0);
  EXPECT_EQ(rows[0].Int(2), 7);
  EXPECT_EQ(rows[0].Text(2), "7");
  EXPECT_EQ(rows[0].Text(3), "text");
}

TEST_F(StoreTest, NanIsBoundAsNullAndInfinitiesSurvive) {
  const double inf = std::numeric_limits<double>::infinity();
  ASSERT_TRUE(store_
                  ->Write([&](Session& s) -> Status {
                    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO t VALUES (?, ?)",
                                                {"nan", std::numeric_limits<double>::quiet_NaN()}));
                    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO t VALUES (?, ?)", {"pos", inf}));
                    return s.Exec("INSERT INTO t VALUES (?, ?)", {"neg", -inf});
                  })
                  .ok());
  Rows nulls = Query("SELECT k FROM t WHERE v IS NULL");
  ASSERT_EQ(nulls.size(), 1u);
  EXPECT_EQ(nulls[0].Text(0), "nan");
  Rows pos = Query("SELECT v FROM t WHERE k = 'pos'");
  ASSERT_EQ(pos.size(), 1u);
  EXPECT_EQ(pos[0].Real(0), inf);
  Rows neg = Query("SELECT v FROM t WHERE k = 'neg'");
  ASSERT_EQ(neg.size(), 1u);
  EXPECT_EQ(neg[0].Real(0), -inf);
}

TEST_F(StoreTest, CachedStatementsRebindArguments) {
  // The same SQL text reuses one prepared statement; every call must see its own arguments.
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Write("INSERT INTO t VALUES (?, ?)", {"k" + std::to_string(i), double(i)}).ok());
  }
  for (int i = 0; i < 5; ++i) {
    Rows rows = Query("SELECT v FROM t WHERE k = ?", {"k" + std::to_string(i)});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_DOUBLE_EQ(rows[0].Real(0), i);
  }
  EXPECT_TRUE(Query("SELECT v FROM t WHERE k = ?", {"missing"}).empty());
}

TEST_F(StoreTest, BadSqlIsInternal) {
  Status status = store_->Read([](Session& s) { return s.Query("SELEC nonsense").status(); });
  EXPECT_EQ(status.code(), StatusCode::kInternal);
}

TEST_F(StoreTest, ConcurrentWritersAllLand) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string key = std::to_string(t) + "-" + std::to_string(i);
        Status status = store_->Write([&](Session& s) -> Status {
          // Read-modify-write inside one transaction: must be serialized to stay exact.
          KILN_ASSIGN_OR_RETURN(Rows rows, s.Query("SELECT COUNT(*) FROM t"));
          return s.Exec("INSERT INTO t VALUES (?, ?)", {key, double(rows[0].Int(0))});
        });
        if (!status.ok()) ++failures[t];
        // Readers run beside the writers.
        Status read =
            store_->Read([](Session& s) { return s.Query("SELECT COUNT(*) FROM t").status(); });
        if (!read.ok()) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  EXPECT_EQ(Count(), kThreads * kPerThread);
  // Each insert saw every earlier one: the stored counts are exactly 0..N-1.
  Rows rows = Query("SELECT COUNT(DISTINCT v), MIN(v), MAX(v) FROM t");
  EXPECT_EQ(rows[0].Int(0), kThreads * kPerThread);
  EXPECT_EQ(rows[0].Int(1), 0);
  EXPECT_EQ(rows[0].Int(2), kThreads * kPerThread - 1);
}

TEST_F(StoreTest, DataSurvivesReopening) {
  ASSERT_TRUE(Write("INSERT INTO t VALUES (?, ?)", {"kept", 42.0}).ok());
  ASSERT_TRUE(Write("INSERT INTO t VALUES (?, ?)", {"dropped", 1.0}).ok());
  ASSERT_TRUE(Write("DELETE FROM t WHERE k = ?", {"dropped"}).ok());
  Reopen();
  Rows rows = Query("SELECT k, v FROM t");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "kept");
  EXPECT_DOUBLE_EQ(rows[0].Real(1), 42.0);
}

// Counts rows of t from another thread, as a different reader would.
int64_t CountFromAnotherThread(MetaStore& store) {
  int64_t count = -1;
  std::thread([&] {
    store
        .Read([&](Session& s) -> Status {
          KILN_ASSIGN_OR_RETURN(Rows rows, s.Query("SELECT COUNT(*) FROM t"));
          count = rows[0].Int(0);
          return Status::Ok();
        })
        .IgnoreError();
  }).join();
  return count;
}

TEST_F(StoreTest, BatchWritesAreVisibleToTheirThreadAndCommitTogether) {
  ASSERT_TRUE(store_->BeginBatch().ok());
  ASSERT_TRUE(Write("INSERT INTO t VALUES ('a', 1)").ok());
  ASSERT_TRUE(Write("INSERT INTO t VALUES ('b', 2)").ok());
  EXPECT_EQ(Count(), 2);                          // this thread reads its own writes
  EXPECT_EQ(CountFromAnotherThread(*store_), 0);  // nobody else sees them yet
  ASSERT_TRUE(store_->EndBatch().ok());
  EXPECT_EQ(CountFromAnotherThread(*store_), 2);
  Reopen();
  EXPECT_EQ(Count(), 2);
}

TEST_F(StoreTest, AFailedWriteInsideABatchUndoesOnlyItself) {
  ASSERT_TRUE(store_->BeginBatch().ok());
  ASSERT_TRUE(Write("INSERT INTO t VALUES ('a', 1)").ok());
  Status failed = store_->Write([](Session& s) -> Status {
    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO t VALUES ('b', 2)"));
    return s.Exec("INSERT INTO t VALUES ('a', 3)");  // duplicate key
  });
  EXPECT_EQ(failed.code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(Write("INSERT INTO t VALUES ('c', 3)").ok());
  ASSERT_TRUE(store_->EndBatch().ok());
  Rows rows = Query("SELECT k FROM t ORDER BY k");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Text(0), "a");
  EXPECT_EQ(rows[1].Text(0), "c");
}

TEST_F(StoreTest, OtherWritersWaitForTheBatch) {
  ASSERT_TRUE(store_->BeginBatch().ok());
  ASSERT_TRUE(Write("INSERT INTO t VALUES ('batch', 1)").ok());
  std::atomic<bool> other_done{false};
  std::thread other([&] {
    EXPECT_TRUE(Write("INSERT INTO t VALUES ('other', 2)").ok());
    other_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(other_done);  // blocked on the open batch
  ASSERT_TRUE(store_->EndBatch().ok());
  other.join();
  EXPECT_EQ(Count(), 2);
}

TEST_F(StoreTest, BatchMisuseIsRefused) {
  EXPECT_EQ(store_->EndBatch().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->BeginBatch().ok());
  EXPECT_EQ(store_->BeginBatch().code(), StatusCode::kInternal);
  ASSERT_TRUE(store_->EndBatch().ok());
  // WriteBatch commits once; its destructor then does nothing.
  {
    WriteBatch batch(*store_);
    ASSERT_TRUE(Write("INSERT INTO t VALUES ('a', 1)").ok());
    EXPECT_TRUE(batch.Commit().ok());
    EXPECT_TRUE(batch.Commit().ok());
  }
  { WriteBatch batch(*store_); }  // ends (commits) on scope exit
  ASSERT_TRUE(Write("INSERT INTO t VALUES ('b', 2)").ok());
  EXPECT_EQ(Count(), 2);
}

TEST(OpenSqliteStoreTest, UnopenablePathIsInternal) {
  auto opened = OpenSqliteStore("/nonexistent-dir-kiln/sub/kiln.db");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInternal);
  EXPECT_NE(opened.status().message().find("/nonexistent-dir-kiln/sub/kiln.db"), std::string::npos);
}

}  // namespace
}  // namespace kiln::store
