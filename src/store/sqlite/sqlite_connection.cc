#include "store/sqlite/sqlite_connection.h"

#include <cmath>

namespace kiln::store {

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                 bool read_only) {
  sqlite3* db = nullptr;
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Internal("cannot open database '" + path + "': " + message);
  }
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  sqlite3_busy_timeout(db, 10000);
  // WAL keeps readers off the writer's back; synchronous=NORMAL still keeps every committed
  // transaction when the process is killed (the WAL is in the OS cache), which is our promise.
  const char* pragmas =
      read_only
          ? "PRAGMA query_only=1; PRAGMA cache_size=-65536; PRAGMA case_sensitive_like=1;"
          : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA case_sensitive_like=1;";
  if (sqlite3_exec(db, pragmas, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Internal("cannot configure database '" + path + "': " + sqlite3_errmsg(db));
  }
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status SqliteConnection::Error(int rc, std::string_view sql) const {
  std::string message = std::string(sqlite3_errmsg(db_)) + " in: " + std::string(sql);
  if ((rc & 0xff) == SQLITE_CONSTRAINT) return AlreadyExists(message);
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return Unavailable(message);
  return Internal(message);
}

Result<sqlite3_stmt*> SqliteConnection::Prepare(std::string_view sql,
                                                const std::vector<Value>& args) {
  auto it = statements_.find(std::string(sql));
  sqlite3_stmt* stmt = nullptr;
  if (it != statements_.end()) {
    stmt = it->second;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  } else {
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(rc, sql);
    statements_.emplace(std::string(sql), stmt);
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    const Value& v = args[i];
    if (auto* n = std::get_if<int64_t>(&v)) {
      sqlite3_bind_int64(stmt, index, *n);
    } else if (auto* d = std::get_if<double>(&v)) {
      if (std::isnan(*d))
        sqlite3_bind_null(stmt, index);  // SQLite has no NaN
      else
        sqlite3_bind_double(stmt, index, *d);
    } else if (auto* s = std::get_if<std::string>(&v)) {
      sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
    } else {
      sqlite3_bind_null(stmt, index);
    }
  }
  return stmt;
}

Status SqliteConnection::Exec(std::string_view sql, const std::vector<Value>& args) {
  KILN_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, args));
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  Status status = rc == SQLITE_DONE ? Status::Ok() : Error(rc, sql);
  sqlite3_reset(stmt);
  return status;
}

namespace {

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_NULL:
      return std::monostate{};
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
    }
  }
}

}  // namespace

Result<Rows> SqliteConnection::Query(std::string_view sql, const std::vector<Value>& args) {
  KILN_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, args));
  Rows rows;
  const int columns = sqlite3_column_count(stmt);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::vector<Value> values;
    values.reserve(columns);
    for (int i = 0; i < columns; ++i) values.push_back(ColumnValue(stmt, i));
    rows.emplace_back(std::move(values));
  }
  Status status = rc == SQLITE_DONE ? Status::Ok() : Error(rc, sql);
  sqlite3_reset(stmt);
  if (!status.ok()) return status;
  return rows;
}

int64_t SqliteConnection::Changes() { return sqlite3_changes64(db_); }

}  // namespace kiln::store
