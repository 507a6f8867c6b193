#include "store/migrations.h"

#include <string>
#include <vector>

namespace kiln::store {
namespace {

// Each migration is a list of portable DDL statements. Never edit a published migration;
// append a new one.
struct Migration {
  int version;
  std::vector<const char*> statements;
};

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       {
           "CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name TEXT NOT NULL "
           "UNIQUE, artifact_location TEXT NOT NULL, lifecycle_stage TEXT NOT NULL, "
           "creation_time BIGINT NOT NULL, last_update_time BIGINT NOT NULL)",
           "CREATE TABLE experiment_tags (experiment_id INTEGER NOT NULL, key TEXT NOT NULL, "
           "value TEXT NOT NULL, PRIMARY KEY (experiment_id, key))",
           "CREATE TABLE runs (run_id TEXT PRIMARY KEY, experiment_id INTEGER NOT NULL, "
           "name TEXT NOT NULL, user_id TEXT NOT NULL, status TEXT NOT NULL, "
           "start_time BIGINT NOT NULL, end_time BIGINT, artifact_uri TEXT NOT NULL, "
           "lifecycle_stage TEXT NOT NULL, deleted_time BIGINT)",
           "CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time)",
           "CREATE TABLE params (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, "
           "PRIMARY KEY (run_id, key))",
           "CREATE INDEX params_by_key ON params (key, value)",
           "CREATE TABLE tags (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, "
           "PRIMARY KEY (run_id, key))",
           "CREATE INDEX tags_by_key ON tags (key, value)",
           "CREATE TABLE metrics (run_id TEXT NOT NULL, key TEXT NOT NULL, value DOUBLE "
           "PRECISION, is_nan INTEGER NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL)",
           "CREATE INDEX metrics_by_run ON metrics (run_id, key, step)",
           "CREATE TABLE latest_metrics (run_id TEXT NOT NULL, key TEXT NOT NULL, value DOUBLE "
           "PRECISION, is_nan INTEGER NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL, "
           "PRIMARY KEY (run_id, key))",
           "CREATE INDEX latest_metrics_by_key ON latest_metrics (key, value, run_id)",
           "CREATE TABLE run_inputs (run_id TEXT NOT NULL, name TEXT NOT NULL, digest TEXT NOT "
           "NULL, source_type TEXT NOT NULL, source TEXT NOT NULL, schema TEXT, profile TEXT, "
           "tags_json TEXT NOT NULL, PRIMARY KEY (run_id, name, digest))",
           "CREATE TABLE registered_models (name TEXT PRIMARY KEY, creation_time BIGINT NOT "
           "NULL, last_updated_time BIGINT NOT NULL, description TEXT, next_version INTEGER "
           "NOT NULL DEFAULT 1)",
           "CREATE TABLE registered_model_tags (name TEXT NOT NULL, key TEXT NOT NULL, value "
           "TEXT NOT NULL, PRIMARY KEY (name, key))",
           "CREATE TABLE model_versions (name TEXT NOT NULL, version INTEGER NOT NULL, "
           "creation_time BIGINT NOT NULL, last_updated_time BIGINT NOT NULL, description TEXT, "
           "user_id TEXT, current_stage TEXT NOT NULL, source TEXT NOT NULL, run_id TEXT, "
           "run_link TEXT, status TEXT NOT NULL, status_message TEXT, "
           "PRIMARY KEY (name, version))",
           "CREATE INDEX model_versions_by_run ON model_versions (run_id)",
           "CREATE TABLE model_version_tags (name TEXT NOT NULL, version INTEGER NOT NULL, key "
           "TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (name, version, key))",
           "CREATE TABLE registered_model_aliases (name TEXT NOT NULL, alias TEXT NOT NULL, "
           "version INTEGER NOT NULL, PRIMARY KEY (name, alias))",
       }},
  };
  return kMigrations;
}

Status ApplyOne(Session& session, const Migration& migration) {
  for (const char* sql : migration.statements) KILN_RETURN_IF_ERROR(session.Exec(sql));
  return session.Exec("INSERT INTO schema_migrations (version) VALUES (?)",
                      {static_cast<int64_t>(migration.version)});
}

}  // namespace

Status ApplyMigrations(MetaStore& store) {
  return store.Write([](Session& session) -> Status {
    KILN_RETURN_IF_ERROR(
        session.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)"));
    KILN_ASSIGN_OR_RETURN(Rows rows,
                          session.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    const int64_t current = rows.empty() ? 0 : rows[0].Int(0);
    for (const Migration& migration : AllMigrations()) {
      if (migration.version > current) KILN_RETURN_IF_ERROR(ApplyOne(session, migration));
    }
    return Status::Ok();
  });
}

}  // namespace kiln::store
