// SqliteConnection: one sqlite3 handle with a cache of prepared statements.
// Not thread-safe; SqliteStore guards each connection with a mutex.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/meta_store.h"

namespace kiln::store {

class SqliteConnection : public Session {
 public:
  // Opens `path` (read-only when `read_only`) and sets WAL pragmas. Errors: kInternal.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, bool read_only);
  ~SqliteConnection() override;

  Status Exec(std::string_view sql, const std::vector<Value>& args = {}) override;
  Result<Rows> Query(std::string_view sql, const std::vector<Value>& args = {}) override;
  int64_t Changes() override;

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  // A reset, bound statement from the cache. Errors: kInternal for bad SQL.
  Result<sqlite3_stmt*> Prepare(std::string_view sql, const std::vector<Value>& args);
  Status Error(int rc, std::string_view sql) const;

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace kiln::store
