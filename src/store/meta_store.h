// MetaStore: the metadata database seam (SQLite now, PostgreSQL later).
// Domain code (tracking/, registry/) writes portable SQL with `?` placeholders and runs it
// inside a Session obtained from MetaStore::Write or MetaStore::Read.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace kiln::store {

// One SQL value. NULL is std::monostate.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

// The value, or NULL when absent. Out of line: built inline in a conditional, the variant
// trips GCC 12's -Wmaybe-uninitialized on its string member.
Value NullableInt(std::optional<int64_t> value);
Value NullableReal(std::optional<double> value);

// One result row; columns by position, in SELECT order.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  // Typed accessors convert between integer and real; NULL gives 0, 0.0 or "".
  int64_t Int(size_t i) const;
  double Real(size_t i) const;
  std::string Text(size_t i) const;
  size_t size() const { return values_.size(); }

 private:
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;

// An open connection inside one transaction. Not thread-safe; valid only inside the
// callback that received it.
class Session {
 public:
  virtual ~Session() = default;
  // Runs one statement. Errors: kAlreadyExists for a constraint violation (unique key or
  // NOT NULL), kUnavailable when a lock could not be had in time, kInternal otherwise.
  virtual Status Exec(std::string_view sql, const std::vector<Value>& args = {}) = 0;
  // Runs a query and returns all rows. Errors as Exec.
  virtual Result<Rows> Query(std::string_view sql, const std::vector<Value>& args = {}) = 0;
  // Rows changed by the last Exec.
  virtual int64_t Changes() = 0;
};

using SessionFn = std::function<Status(Session&)>;

// A metadata database. Thread-safe.
class MetaStore {
 public:
  virtual ~MetaStore() = default;
  // Runs `fn` in a write transaction, serialized with other writers. Commits when `fn`
  // returns OK, rolls back otherwise and returns fn's status. Once Write returns OK the
  // transaction survives the process being killed; a power loss may lose the last commits
  // (SQLite does not fsync each one) but never leaves a transaction half applied.
  virtual Status Write(const SessionFn& fn) = 0;
  // Runs `fn` against a consistent read snapshot, in which writes fail.
  virtual Status Read(const SessionFn& fn) = 0;

  // Groups the calling thread's Writes into one transaction until EndBatch, so a burst of
  // small writes costs one commit. Inside a batch each Write is a savepoint (its failure undoes
  // only its own changes), this thread's Reads see the batch's uncommitted writes, and nothing
  // is durable or visible to other threads before EndBatch. Other threads' Writes wait for
  // EndBatch: keep batches to milliseconds. Batches do not nest. Errors: kInternal.
  virtual Status BeginBatch() = 0;
  // Commits the calling thread's batch; on failure every write since BeginBatch is rolled back.
  // Errors: kFailedPrecondition without an open batch on this thread, kInternal.
  virtual Status EndBatch() = 0;
};

// An open batch (MetaStore::BeginBatch) for the lifetime of this object; ends it, ignoring
// the outcome, unless Commit was called.
class WriteBatch {
 public:
  explicit WriteBatch(MetaStore& store) : store_(store), status_(store.BeginBatch()) {}
  ~WriteBatch() {
    if (status_.ok() && !ended_) store_.EndBatch().IgnoreError();
  }
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;

  // Ends the batch and returns the first error of BeginBatch or EndBatch.
  Status Commit() {
    if (!status_.ok() || ended_) return status_;
    ended_ = true;
    status_ = store_.EndBatch();
    return status_;
  }

 private:
  MetaStore& store_;
  Status status_;
  bool ended_ = false;
};

// Opens (creating if needed) the SQLite database at `path` in WAL mode and applies all
// migrations. Errors: kInternal when the file cannot be opened or migrated.
Result<std::unique_ptr<MetaStore>> OpenSqliteStore(const std::string& path);

}  // namespace kiln::store
