// SqliteStore: the embedded MetaStore. One writer connection (SQLite allows one writer)
// and a small pool of reader connections that WAL lets run beside it.
#include <array>
#include <atomic>
#include <thread>

#include "common/mutex.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_connection.h"

namespace kiln::store {
namespace {

// Runs `fn` between BEGIN and COMMIT on `connection`, rolling back on failure.
Status RunTransaction(SqliteConnection& connection, const char* begin, const SessionFn& fn) {
  KILN_RETURN_IF_ERROR(connection.Exec(begin));
  Status status = fn(connection);
  if (!status.ok()) {
    connection.Exec("ROLLBACK").IgnoreError();
    return status;
  }
  Status commit = connection.Exec("COMMIT");
  if (!commit.ok()) connection.Exec("ROLLBACK").IgnoreError();
  return commit;
}

// Runs `fn` inside a savepoint of the open transaction on `connection`.
Status RunSavepoint(SqliteConnection& connection, const SessionFn& fn) {
  KILN_RETURN_IF_ERROR(connection.Exec("SAVEPOINT kiln_write"));
  Status status = fn(connection);
  if (!status.ok()) connection.Exec("ROLLBACK TO kiln_write").IgnoreError();
  Status release = connection.Exec("RELEASE kiln_write");
  return status.ok() ? release : status;
}

class SqliteStore : public MetaStore {
 public:
  static constexpr size_t kReaders = 4;

  Status Open(const std::string& path) EXCLUDES(writer_mutex_) {
    MutexLock writer_lock(writer_mutex_);
    KILN_ASSIGN_OR_RETURN(writer_, SqliteConnection::Open(path, /*read_only=*/false));
    for (auto& reader : readers_) {
      MutexLock reader_lock(reader.mutex);
      KILN_ASSIGN_OR_RETURN(reader.connection, SqliteConnection::Open(path, /*read_only=*/true));
    }
    return Status::Ok();
  }

  Status Write(const SessionFn& fn) override {
    if (InBatchOnThisThread()) {
      writer_mutex_.AssertHeld();  // by this thread, since BeginBatch
      return RunSavepoint(*writer_, fn);
    }
    MutexLock lock(writer_mutex_);
    return RunTransaction(*writer_, "BEGIN IMMEDIATE", fn);
  }

  Status Read(const SessionFn& fn) override {
    // Inside a batch the writer's open transaction is the only one that sees its writes.
    if (InBatchOnThisThread()) {
      writer_mutex_.AssertHeld();  // by this thread, since BeginBatch
      return ReadOnWriter(fn);
    }
    // Take the first idle reader; if all are busy, wait on one picked round-robin.
    for (auto& reader : readers_) {
      if (!reader.mutex.TryLock()) continue;
      MutexLock lock(reader.mutex, AdoptLock{});
      return RunTransaction(*reader.connection, "BEGIN", fn);
    }
    Reader& reader = readers_[next_reader_.fetch_add(1) % kReaders];
    MutexLock lock(reader.mutex);
    return RunTransaction(*reader.connection, "BEGIN", fn);
  }

  // The writer's lock is held from BeginBatch to EndBatch, across calls, which the analysis
  // cannot follow; batch_thread_ records the holder and Read/Write assert it.
  Status BeginBatch() override NO_THREAD_SAFETY_ANALYSIS {
    if (InBatchOnThisThread()) return Internal("a write batch is already open on this thread");
    writer_mutex_.Lock();
    Status begun = writer_->Exec("BEGIN IMMEDIATE");
    if (!begun.ok()) {
      writer_mutex_.Unlock();
      return begun;
    }
    batch_thread_.store(std::this_thread::get_id());
    return Status::Ok();
  }

  Status EndBatch() override NO_THREAD_SAFETY_ANALYSIS {
    if (!InBatchOnThisThread()) return FailedPrecondition("no write batch is open on this thread");
    Status commit = writer_->Exec("COMMIT");
    if (!commit.ok()) writer_->Exec("ROLLBACK").IgnoreError();
    batch_thread_.store(std::thread::id());
    writer_mutex_.Unlock();
    return commit;
  }

 private:
  bool InBatchOnThisThread() const { return batch_thread_.load() == std::this_thread::get_id(); }

  // A Read on the batch's writer connection, refusing writes as a reader connection does.
  Status ReadOnWriter(const SessionFn& fn) REQUIRES(writer_mutex_) {
    KILN_RETURN_IF_ERROR(writer_->Exec("PRAGMA query_only=1"));
    Status status = fn(*writer_);
    Status restored = writer_->Exec("PRAGMA query_only=0");
    return status.ok() ? restored : status;
  }

  struct Reader {
    Mutex mutex;
    std::unique_ptr<SqliteConnection> connection GUARDED_BY(mutex);
  };
  Mutex writer_mutex_;
  std::unique_ptr<SqliteConnection> writer_ GUARDED_BY(writer_mutex_);
  // The thread holding writer_mutex_ for a batch; default (no thread) otherwise.
  std::atomic<std::thread::id> batch_thread_{};
  std::array<Reader, kReaders> readers_;
  std::atomic<size_t> next_reader_{0};
};

}  // namespace

Result<std::unique_ptr<MetaStore>> OpenSqliteStore(const std::string& path) {
  auto store = std::make_unique<SqliteStore>();
  // The writer creates the file and switches it to WAL before readers open it.
  KILN_RETURN_IF_ERROR(store->Open(path));
  KILN_RETURN_IF_ERROR(ApplyMigrations(*store));
  return std::unique_ptr<MetaStore>(std::move(store));
}

}  // namespace kiln::store
