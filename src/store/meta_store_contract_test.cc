// The MetaStore contract: every promise of store/meta_store.h, run against each implementation.
// An implementation joins with one line in kImpls at the end of this file.
// The tests use a scratch table in portable SQL and open stores only through OpenMetaStore.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "store/meta_store.h"
#include "store/store_uri.h"

namespace kiln::store {
namespace {

namespace fs = std::filesystem;

constexpr auto kPatience = std::chrono::seconds(20);  // generous bound for a loaded machine

// One implementation under test: the URI of a store for a test whose scratch folder is
// `dir`, or "" when the implementation is not available here (the tests are then skipped).
struct MetaStoreImpl {
  const char* name;
  std::string (*uri)(const std::string& dir);
};

// How gtest names the implementation in test names and messages.
void PrintTo(const MetaStoreImpl& impl, std::ostream* os) { *os << impl.name; }

std::string PrintImpl(const testing::TestParamInfo<MetaStoreImpl>& info) { return info.param.name; }

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS contract_kv (k VARCHAR(100) PRIMARY KEY, v DOUBLE PRECISION, "
    "n BIGINT, label VARCHAR(100) NOT NULL DEFAULT 'none')";

class MetaStoreContract : public testing::TestWithParam<MetaStoreImpl> {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_store_contract_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    uri_ = GetParam().uri(dir_.string());
    if (uri_.empty()) GTEST_SKIP() << GetParam().name << " is not available here";
    store_ = Open();
    ASSERT_NE(store_, nullptr);
    // A shared server may keep the table from an earlier run: start it empty.
    ASSERT_TRUE(Exec(kCreateTable).ok());
    ASSERT_TRUE(Exec("DELETE FROM contract_kv").ok());
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A new store object on the test's URI; nullptr (and a failure) when it cannot open.
  std::unique_ptr<MetaStore> Open() {
    auto opened = OpenMetaStore(uri_);
    EXPECT_TRUE(opened.ok()) << uri_ << ": " << opened.status().ToString();
    return opened.ok() ? std::move(*opened) : nullptr;
  }

  // One statement in its own Write.
  Status Exec(const std::string& sql, const std::vector<Value>& args = {}) {
    return store_->Write([&](Session& s) { return s.Exec(sql, args); });
  }

  Status Insert(const std::string& key, double v = 0) {
    return Exec("INSERT INTO contract_kv (k, v) VALUES (?, ?)", {key, v});
  }

  // All rows of `sql` read through Read on `store` (default: the test's); fails the test on
  // error.
  Rows Query(const std::string& sql, MetaStore* store = nullptr) {
    Rows rows;
    Status status = (store ? store : store_.get())->Read([&](Session& s) -> Status {
      KILN_ASSIGN_OR_RETURN(rows, s.Query(sql));
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return rows;
  }

  // The keys in order, joined by ','.
  std::string Keys(MetaStore* store = nullptr) {
    std::string keys;
    for (const Row& row : Query("SELECT k FROM contract_kv ORDER BY k", store)) {
      keys += (keys.empty() ? "" : ",") + row.Text(0);
    }
    return keys;
  }

  // The keys as a reader on another thread sees them.
  std::string KeysFromAnotherThread() {
    std::string keys;
    std::thread([&] { keys = Keys(); }).join();
    return keys;
  }

  fs::path dir_;
  std::string uri_;
  std::unique_ptr<MetaStore> store_;
};

TEST_P(MetaStoreContract, WriteCommitsWhenTheCallbackReturnsOk) {
  ASSERT_TRUE(store_
                  ->Write([](Session& s) -> Status {
                    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO contract_kv (k) VALUES ('a')"));
                    return s.Exec("INSERT INTO contract_kv (k) VALUES ('b')");
                  })
                  .ok());
  EXPECT_EQ(Keys(), "a,b");
}

TEST_P(MetaStoreContract, WriteRollsBackAndReturnsTheCallbacksError) {
  Status status = store_->Write([](Session& s) -> Status {
    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO contract_kv (k) VALUES ('a')"));
    return NotFound("changed my mind");
  });
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "changed my mind");
  EXPECT_EQ(Keys(), "");
  // The store is usable after a rollback.
  ASSERT_TRUE(Insert("b").ok());
  EXPECT_EQ(Keys(), "b");
}

TEST_P(MetaStoreContract, AFailedStatementRollsBackTheWholeWrite) {
  Status status = store_->Write([](Session& s) -> Status {
    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO contract_kv (k) VALUES ('a')"));
    return s.Exec("INSERT INTO contract_no_such_table VALUES (1)");
  });
  EXPECT_EQ(status.code(), StatusCode::kInternal) << status.ToString();
  EXPECT_EQ(Keys(), "");
}

TEST_P(MetaStoreContract, ACommittedWriteIsSeenByANewStoreObject) {
  ASSERT_TRUE(Insert("kept", 42).ok());
  std::unique_ptr<MetaStore> beside = Open();  // while the first is still open
  ASSERT_NE(beside, nullptr);
  EXPECT_EQ(Keys(beside.get()), "kept");
  beside.reset();
  store_.reset();
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  Rows rows = Query("SELECT k, v FROM contract_kv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "kept");
  EXPECT_DOUBLE_EQ(rows[0].Real(1), 42);
}

TEST_P(MetaStoreContract, ACommittedWriteSurvivesTheWriterBeingKilled) {
  store_.reset();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // No gtest in here: the child reports through its fate only.
    auto opened = OpenMetaStore(uri_);
    if (!opened.ok()) ::_exit(1);
    Status written = (*opened)->Write(
        [](Session& s) { return s.Exec("INSERT INTO contract_kv (k) VALUES ('from-child')"); });
    if (!written.ok()) ::_exit(2);
    ::kill(::getpid(), SIGKILL);  // no destructor, no close: as a crash right after Write
    ::_exit(3);
  }
  int wstatus = 0;
  ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited with " << WEXITSTATUS(wstatus);
  EXPECT_EQ(WTERMSIG(wstatus), SIGKILL);
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(Keys(), "from-child");
}

TEST_P(MetaStoreContract, ReadSeesOneSnapshotWhileOthersCommit) {
  ASSERT_TRUE(Insert("a").ok());
  std::future<Status> writer;
  bool writer_blocked = false;
  Status read = store_->Read([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Rows before, s.Query("SELECT COUNT(*) FROM contract_kv"));
    writer = std::async(std::launch::async, [&] { return Insert("b"); });
    if (writer.wait_for(kPatience) != std::future_status::ready) {
      writer_blocked = true;  // not the snapshot promise; reported below
      return Status::Ok();
    }
    KILN_ASSIGN_OR_RETURN(Rows after, s.Query("SELECT COUNT(*) FROM contract_kv"));
    EXPECT_EQ(before[0].Int(0), 1);
    EXPECT_EQ(after[0].Int(0), 1) << "a Read saw a write committed after it began";
    return Status::Ok();
  });
  ASSERT_TRUE(read.ok()) << read.ToString();
  EXPECT_FALSE(writer_blocked) << "a Write waited for a Read";
  EXPECT_TRUE(writer.get().ok());
  EXPECT_EQ(Keys(), "a,b");
}

TEST_P(MetaStoreContract, ReadInsideAWriteSeesOnlyCommittedData) {
  ASSERT_TRUE(Insert("a").ok());
  std::string seen_inside;
  ASSERT_TRUE(store_
                  ->Write([&](Session& s) -> Status {
                    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO contract_kv (k) VALUES ('b')"));
                    seen_inside = Keys();
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(seen_inside, "a");
  EXPECT_EQ(Keys(), "a,b");
}

TEST_P(MetaStoreContract, ReadRefusesWrites) {
  ASSERT_TRUE(Insert("a").ok());
  for (const char* sql : {"INSERT INTO contract_kv (k) VALUES ('x')", "DELETE FROM contract_kv",
                          "UPDATE contract_kv SET n = 1"}) {
    Status status = store_->Read([&](Session& s) { return s.Exec(sql); });
    EXPECT_FALSE(status.ok()) << sql;
  }
  Rows rows = Query("SELECT k, n FROM contract_kv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].IsNull(1));
}

TEST_P(MetaStoreContract, ConstraintViolationsAreAlreadyExistsAndChangeNothing) {
  ASSERT_TRUE(Insert("a", 1).ok());
  Status duplicate = Insert("a", 2);
  EXPECT_EQ(duplicate.code(), StatusCode::kAlreadyExists) << duplicate.ToString();
  Status not_null = Exec("INSERT INTO contract_kv (k, label) VALUES ('b', NULL)");
  EXPECT_EQ(not_null.code(), StatusCode::kAlreadyExists) << not_null.ToString();
  Rows rows = Query("SELECT k, v FROM contract_kv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].Real(1), 1);
}

TEST_P(MetaStoreContract, BadSqlIsInternal) {
  Status in_read = store_->Read([](Session& s) { return s.Query("SELEC nonsense").status(); });
  EXPECT_EQ(in_read.code(), StatusCode::kInternal) << in_read.ToString();
  Status in_write = Exec("INSERT INTO contract_kv (no_such_column) VALUES (1)");
  EXPECT_EQ(in_write.code(), StatusCode::kInternal) << in_write.ToString();
}

TEST_P(MetaStoreContract, ChangesCountsTheRowsOfTheLastExec) {
  std::vector<int64_t> changes;
  ASSERT_TRUE(
      store_
          ->Write([&](Session& s) -> Status {
            KILN_RETURN_IF_ERROR(
                s.Exec("INSERT INTO contract_kv (k, v) VALUES ('a', 1), ('b', 2), ('c', 3)"));
            changes.push_back(s.Changes());
            KILN_RETURN_IF_ERROR(s.Exec("UPDATE contract_kv SET v = v + 1 WHERE v >= ?", {2.0}));
            changes.push_back(s.Changes());
            KILN_RETURN_IF_ERROR(s.Exec("DELETE FROM contract_kv WHERE k = 'zz'"));
            changes.push_back(s.Changes());
            return Status::Ok();
          })
          .ok());
  EXPECT_EQ(changes, (std::vector<int64_t>{3, 2, 0}));
}

TEST_P(MetaStoreContract, ValuesRoundTripAndRowAccessorsConvert) {
  const int64_t big = (int64_t{1} << 53) + 1;  // not exact as a double
  const std::string text = "it's \"quoted\", ünïcode\n";
  ASSERT_TRUE(
      Exec("INSERT INTO contract_kv (k, v, n, label) VALUES (?, ?, ?, ?)", {"a", 2.5, big, text})
          .ok());
  ASSERT_TRUE(Exec("INSERT INTO contract_kv (k, v, n) VALUES (?, ?, ?)",
                   {"b", NullableReal(std::nullopt), NullableInt(std::nullopt)})
                  .ok());
  Rows rows = Query("SELECT k, v, n, label FROM contract_kv ORDER BY k");
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[0].size(), 4u);
  EXPECT_EQ(rows[0].Text(0), "a");
  EXPECT_DOUBLE_EQ(rows[0].Real(1), 2.5);
  EXPECT_EQ(rows[0].Int(1), 2);  // real to integer truncates
  EXPECT_EQ(rows[0].Int(2), big);
  EXPECT_DOUBLE_EQ(rows[0].Real(2), static_cast<double>(big));
  EXPECT_EQ(rows[0].Text(2), std::to_string(big));
  EXPECT_EQ(rows[0].Text(3), text);
  EXPECT_FALSE(rows[0].IsNull(1));
  // NULL reads as 0, 0.0 and "".
  EXPECT_TRUE(rows[1].IsNull(1));
  EXPECT_TRUE(rows[1].IsNull(2));
  EXPECT_EQ(rows[1].Int(1), 0);
  EXPECT_EQ(rows[1].Real(2), 0.0);
  EXPECT_EQ(rows[1].Text(2), "");
  EXPECT_EQ(rows[1].Text(3), "none");  // the column default
}

TEST_P(MetaStoreContract, ABatchIsVisibleToItsThreadOnlyUntilEndBatch) {
  ASSERT_TRUE(store_->BeginBatch().ok());
  ASSERT_TRUE(Insert("a").ok());
  ASSERT_TRUE(Insert("b").ok());
  EXPECT_EQ(Keys(), "a,b");                // this thread reads the batch's writes
  EXPECT_EQ(KeysFromAnotherThread(), "");  // nobody else does yet
  ASSERT_TRUE(store_->EndBatch().ok());
  EXPECT_EQ(KeysFromAnotherThread(), "a,b");
  std::unique_ptr<MetaStore> fresh = Open();
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(Keys(fresh.get()), "a,b");
}

TEST_P(MetaStoreContract, ReadInsideABatchStillRefusesWrites) {
  ASSERT_TRUE(store_->BeginBatch().ok());
  ASSERT_TRUE(Insert("a").ok());
  Status status =
      store_->Read([](Session& s) { return s.Exec("INSERT INTO contract_kv (k) VALUES ('x')"); });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(Keys(), "a");
  ASSERT_TRUE(store_->EndBatch().ok());
  EXPECT_EQ(KeysFromAnotherThread(), "a");
}

TEST_P(MetaStoreContract, AFailedWriteInsideABatchUndoesOnlyItself) {
  ASSERT_TRUE(store_->BeginBatch().ok());
  ASSERT_TRUE(Insert("a").ok());
  Status failed = store_->Write([](Session& s) -> Status {
    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO contract_kv (k) VALUES ('b')"));
    return s.Exec("INSERT INTO contract_kv (k) VALUES ('a')");  // duplicate key
  });
  EXPECT_EQ(failed.code(), StatusCode::kAlreadyExists) << failed.ToString();
  Status refused = store_->Write([](Session& s) -> Status {
    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO contract_kv (k) VALUES ('c')"));
    return InvalidArgument("no");
  });
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(Insert("d").ok());
  EXPECT_EQ(Keys(), "a,d");
  ASSERT_TRUE(store_->EndBatch().ok());
  EXPECT_EQ(KeysFromAnotherThread(), "a,d");
}

TEST_P(MetaStoreContract, OtherThreadsWritesWaitForEndBatch) {
  ASSERT_TRUE(store_->BeginBatch().ok());
  ASSERT_TRUE(Insert("batch").ok());
  std::future<Status> other = std::async(std::launch::async, [&] { return Insert("other"); });
  // Waiting cannot flake: a slow machine only makes the other writer later still.
  EXPECT_EQ(other.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout)
      << "another thread's Write finished inside the batch";
  EXPECT_EQ(Keys(), "batch");
  ASSERT_TRUE(store_->EndBatch().ok());
  ASSERT_EQ(other.wait_for(kPatience), std::future_status::ready);
  EXPECT_TRUE(other.get().ok());
  EXPECT_EQ(Keys(), "batch,other");
}

TEST_P(MetaStoreContract, EndBatchWithoutABatchOnThisThreadIsFailedPrecondition) {
  EXPECT_EQ(store_->EndBatch().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->BeginBatch().ok());
  ASSERT_TRUE(Insert("a").ok());
  Status elsewhere;
  std::thread([&] { elsewhere = store_->EndBatch(); }).join();
  EXPECT_EQ(elsewhere.code(), StatusCode::kFailedPrecondition) << elsewhere.ToString();
  // The batch is still open and still this thread's.
  EXPECT_EQ(KeysFromAnotherThread(), "");
  ASSERT_TRUE(store_->EndBatch().ok());
  EXPECT_EQ(store_->EndBatch().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(KeysFromAnotherThread(), "a");
}

TEST_P(MetaStoreContract, BatchesDoNotNest) {
  ASSERT_TRUE(store_->BeginBatch().ok());
  ASSERT_TRUE(Insert("a").ok());
  EXPECT_EQ(store_->BeginBatch().code(), StatusCode::kInternal);
  ASSERT_TRUE(Insert("b").ok());
  ASSERT_TRUE(store_->EndBatch().ok());  // one EndBatch ends the one batch
  EXPECT_EQ(store_->EndBatch().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(KeysFromAnotherThread(), "a,b");
}

TEST_P(MetaStoreContract, WriteBatchEndsItsBatchOnceWhateverHappens) {
  {
    WriteBatch batch(*store_);
    ASSERT_TRUE(Insert("a").ok());
    EXPECT_EQ(KeysFromAnotherThread(), "");
    EXPECT_TRUE(batch.Commit().ok());
    EXPECT_EQ(KeysFromAnotherThread(), "a");
    EXPECT_TRUE(batch.Commit().ok());  // already ended: the same status again
    ASSERT_TRUE(Insert("b").ok());     // outside any batch now
    EXPECT_EQ(KeysFromAnotherThread(), "a,b");
  }
  {
    WriteBatch batch(*store_);
    ASSERT_TRUE(Insert("c").ok());
  }  // ends (commits) on scope exit
  EXPECT_EQ(KeysFromAnotherThread(), "a,b,c");
  EXPECT_EQ(store_->EndBatch().code(), StatusCode::kFailedPrecondition);
}

TEST_P(MetaStoreContract, ConcurrentWritersAllLandSerialized) {
  constexpr int kThreads = 6;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string key = std::to_string(t) + "-" + std::to_string(i);
        // Read-modify-write in one transaction: exact only when writers are serialized.
        Status status = store_->Write([&](Session& s) -> Status {
          KILN_ASSIGN_OR_RETURN(Rows rows, s.Query("SELECT COUNT(*) FROM contract_kv"));
          return s.Exec("INSERT INTO contract_kv (k, n) VALUES (?, ?)", {key, rows[0].Int(0)});
        });
        if (!status.ok()) ++failures[t];
        Status read = store_->Read(
            [](Session& s) { return s.Query("SELECT COUNT(*) FROM contract_kv").status(); });
        if (!read.ok()) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  Rows rows = Query("SELECT COUNT(*), COUNT(DISTINCT n), MIN(n), MAX(n) FROM contract_kv");
  EXPECT_EQ(rows[0].Int(0), kThreads * kPerThread);
  EXPECT_EQ(rows[0].Int(1), kThreads * kPerThread);
  EXPECT_EQ(rows[0].Int(2), 0);
  EXPECT_EQ(rows[0].Int(3), kThreads * kPerThread - 1);
}

std::string SqliteIn(const std::string& dir) { return SqliteUri(dir + "/kiln.db"); }

// The implementations, one line each: a name and the URI of a store in a scratch folder.
const MetaStoreImpl kImpls[] = {
    {"sqlite", SqliteIn},
};

INSTANTIATE_TEST_SUITE_P(Impl, MetaStoreContract, testing::ValuesIn(kImpls), PrintImpl);

}  // namespace
}  // namespace kiln::store
