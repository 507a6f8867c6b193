// MetaStore: the metadata database seam (SQLite now, PostgreSQL later).
// Domain code (tracking/, registry/) writes portable SQL with `?` placeholders and runs it
// inside a Session obtained from MetaStore::Write or MetaStore::Read.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace kiln::store {

// One SQL value. NULL is std::monostate.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

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
  // Runs one statement. Constraint violations return kAlreadyExists; others kInternal.
  virtual Status Exec(std::string_view sql, const std::vector<Value>& args = {}) = 0;
  // Runs a query and returns all rows.
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
  // returns OK (durable before Write returns), rolls back otherwise and returns fn's status.
  virtual Status Write(const SessionFn& fn) = 0;
  // Runs `fn` against a consistent read snapshot. Writes inside are not allowed.
  virtual Status Read(const SessionFn& fn) = 0;
};

// Opens (creating if needed) the SQLite database at `path` in WAL mode and applies all
// migrations. Errors: kInternal when the file cannot be opened or migrated.
Result<std::unique_ptr<MetaStore>> OpenSqliteStore(const std::string& path);

}  // namespace kiln::store
