#include "store/migrations.h"

#include <string>
#include <vector>

namespace kiln::store {
namespace {

// Each migration is a list of portable DDL statements; one that cannot be portable says so in a
// comment and names its PostgreSQL form. Never edit a published migration; append a new one.
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
      {2,
       {
           // Published modules (immutable) and the files of command modules, as blobs.
           "CREATE TABLE modules (name TEXT NOT NULL, version TEXT NOT NULL, description TEXT "
           "NOT NULL, manifest TEXT NOT NULL, files_digest TEXT NOT NULL, created_ms BIGINT "
           "NOT NULL, PRIMARY KEY (name, version))",
           "CREATE TABLE module_files (name TEXT NOT NULL, version TEXT NOT NULL, path TEXT NOT "
           "NULL, digest TEXT NOT NULL, size BIGINT NOT NULL, executable INTEGER NOT NULL, "
           "PRIMARY KEY (name, version, path))",
           // Pipeline runs; run_id is the parent tracking run.
           "CREATE TABLE pipeline_runs (run_id TEXT PRIMARY KEY, pipeline_name TEXT NOT NULL, "
           "file TEXT NOT NULL, base_dir TEXT NOT NULL, spec TEXT NOT NULL, overrides_json "
           "TEXT NOT NULL, params_json TEXT NOT NULL, status TEXT NOT NULL, sweep_id TEXT, "
           "schedule_id TEXT, error TEXT, created_ms BIGINT NOT NULL, started_ms BIGINT, "
           "ended_ms BIGINT)",
           "CREATE INDEX pipeline_runs_by_created ON pipeline_runs (created_ms)",
           "CREATE INDEX pipeline_runs_by_sweep ON pipeline_runs (sweep_id)",
           "CREATE INDEX pipeline_runs_by_schedule ON pipeline_runs (schedule_id, status)",
           // One row per step of a pipeline run; run_id is the child tracking run.
           "CREATE TABLE step_runs (pipeline_run_id TEXT NOT NULL, step TEXT NOT NULL, "
           "position INTEGER NOT NULL, run_id TEXT, status TEXT NOT NULL, cache_key TEXT, "
           "cached INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, exit_code "
           "INTEGER, error TEXT, log_path TEXT, started_ms BIGINT, ended_ms BIGINT, "
           "PRIMARY KEY (pipeline_run_id, step))",
           "CREATE TABLE step_outputs (pipeline_run_id TEXT NOT NULL, step TEXT NOT NULL, "
           "output TEXT NOT NULL, type TEXT NOT NULL, digest TEXT NOT NULL, is_tree INTEGER NOT "
           "NULL, PRIMARY KEY (pipeline_run_id, step, output))",
           "CREATE INDEX step_outputs_by_digest ON step_outputs (digest)",
           // Successful step results by cache key: outputs_json maps output -> {type, digest}.
           "CREATE TABLE step_cache (cache_key TEXT PRIMARY KEY, pipeline_run_id TEXT NOT NULL, "
           "step TEXT NOT NULL, outputs_json TEXT NOT NULL, created_ms BIGINT NOT NULL)",
           // Lineage: e.g. artifact -> step run (consumed), step run -> artifact (produced).
           "CREATE TABLE lineage_edges (src_kind TEXT NOT NULL, src_id TEXT NOT NULL, "
           "dst_kind TEXT NOT NULL, dst_id TEXT NOT NULL, label TEXT NOT NULL, created_ms "
           "BIGINT NOT NULL, PRIMARY KEY (src_kind, src_id, dst_kind, dst_id, label))",
           "CREATE INDEX lineage_by_dst ON lineage_edges (dst_kind, dst_id)",
           "CREATE TABLE sweeps (sweep_id TEXT PRIMARY KEY, pipeline_name TEXT NOT NULL, "
           "spec_json TEXT NOT NULL, created_ms BIGINT NOT NULL)",
           "CREATE TABLE schedules (schedule_id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
           "cron TEXT NOT NULL, file TEXT NOT NULL, spec TEXT NOT NULL, overrides_json TEXT "
           "NOT NULL, allow_overlap INTEGER NOT NULL, enabled INTEGER NOT NULL, next_fire_ms "
           "BIGINT NOT NULL, last_run_id TEXT, created_ms BIGINT NOT NULL)",
       }},
      // Versioned datasets: a version names stored content (a blob or a folder tree).
      {3,
       {
           "CREATE TABLE datasets (name TEXT PRIMARY KEY, description TEXT NOT NULL, "
           "created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL)",
           "CREATE TABLE dataset_versions (name TEXT NOT NULL, version INTEGER NOT NULL, "
           "digest TEXT NOT NULL, is_tree INTEGER NOT NULL, size_bytes BIGINT NOT NULL, "
           "file_count INTEGER NOT NULL, source TEXT NOT NULL, created_ms BIGINT NOT NULL, "
           "PRIMARY KEY (name, version))",
       }},
      {4,
       {
           // Deployments: a model reference (NAME@ALIAS or NAME/VERSION) and an optional
           // canary taking canary_weight percent of the requests.
           "CREATE TABLE deployments (name TEXT PRIMARY KEY, model_ref TEXT NOT NULL, "
           "canary_ref TEXT NOT NULL, canary_weight INTEGER NOT NULL, created_ms BIGINT NOT "
           "NULL, updated_ms BIGINT NOT NULL)",
       }},
      {5,
       {
           // Pipeline definitions: the latest spec submitted or saved under each name.
           "CREATE TABLE pipelines (name TEXT PRIMARY KEY, spec TEXT NOT NULL, file TEXT NOT "
           "NULL, base_dir TEXT NOT NULL, step_count INTEGER NOT NULL, created_ms BIGINT NOT "
           "NULL, updated_ms BIGINT NOT NULL)",
           "CREATE INDEX pipeline_runs_by_pipeline ON pipeline_runs (pipeline_name, created_ms)",
           // Pipelines run before this table existed: each one's newest run's definition.
           "INSERT INTO pipelines (name, spec, file, base_dir, step_count, created_ms, "
           "updated_ms) SELECT r.pipeline_name, r.spec, r.file, r.base_dir, (SELECT COUNT(*) "
           "FROM step_runs s WHERE s.pipeline_run_id = r.run_id), (SELECT MIN(f.created_ms) "
           "FROM pipeline_runs f WHERE f.pipeline_name = r.pipeline_name), r.created_ms FROM "
           "pipeline_runs r WHERE r.run_id = (SELECT q.run_id FROM pipeline_runs q WHERE "
           "q.pipeline_name = r.pipeline_name ORDER BY q.created_ms DESC, q.run_id DESC LIMIT 1)",
       }},
      {6,
       {
           // Yanked published modules: the row stays (the version is never reused), NULL when
           // the version is live.
           "ALTER TABLE modules ADD COLUMN yanked_ms BIGINT",
       }},
      {7,
       {
           // Per deployment: refuse extra fields and unseen categories (1) or ignore / encode
           // them with a warning (0); live rows before drift has a level (0 = server default).
           "ALTER TABLE deployments ADD COLUMN strict_inputs INTEGER NOT NULL DEFAULT 0",
           "ALTER TABLE deployments ADD COLUMN drift_min_rows BIGINT NOT NULL DEFAULT 0",
       }},
      {8,
       {
           // Metric history and run inputs keep their insertion order in an explicit column,
           // seq, which domain SQL orders by instead of SQLite's rowid. SQLite-specific DDL:
           // "seq INTEGER PRIMARY KEY" is the rowid itself (no extra storage, index or write
           // cost; a new row numbers itself), filled here from the old rowid. A PostgreSQL
           // store creates it as "seq BIGINT GENERATED ALWAYS AS IDENTITY". Inserts name
           // their columns and leave seq out.
           "CREATE TABLE metrics_v8 (run_id TEXT NOT NULL, key TEXT NOT NULL, value DOUBLE "
           "PRECISION, is_nan INTEGER NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT "
           "NULL, seq INTEGER PRIMARY KEY)",
           "INSERT INTO metrics_v8 (run_id, key, value, is_nan, timestamp, step, seq) SELECT "
           "run_id, key, value, is_nan, timestamp, step, rowid FROM metrics",
           "DROP TABLE metrics",
           "ALTER TABLE metrics_v8 RENAME TO metrics",
           "CREATE INDEX metrics_by_run ON metrics (run_id, key, step)",
           "CREATE TABLE run_inputs_v8 (run_id TEXT NOT NULL, name TEXT NOT NULL, digest TEXT "
           "NOT NULL, source_type TEXT NOT NULL, source TEXT NOT NULL, schema TEXT, profile "
           "TEXT, tags_json TEXT NOT NULL, seq INTEGER PRIMARY KEY, UNIQUE (run_id, name, "
           "digest))",
           "INSERT INTO run_inputs_v8 (run_id, name, digest, source_type, source, schema, "
           "profile, tags_json, seq) SELECT run_id, name, digest, source_type, source, schema, "
           "profile, tags_json, rowid FROM run_inputs",
           "DROP TABLE run_inputs",
           "ALTER TABLE run_inputs_v8 RENAME TO run_inputs",
       }},
      {9,
       {
           // Users and their API tokens, projects and members (src/auth/). A password is stored
           // only as its scrypt hash, a token only as its SHA-256 next to its first characters; a
           // token's project and role (NULL: none) only narrow its user's rights.
           "CREATE TABLE users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, admin "
           "INTEGER NOT NULL, disabled INTEGER NOT NULL, created_ms BIGINT NOT NULL, "
           "updated_ms BIGINT NOT NULL)",
           "CREATE TABLE tokens (token_id TEXT PRIMARY KEY, user_name TEXT NOT NULL, name TEXT "
           "NOT NULL, prefix TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, project TEXT, role TEXT, "
           "expires_ms BIGINT, revoked_ms BIGINT, last_used_ms BIGINT, created_ms BIGINT NOT "
           "NULL)",
           "CREATE INDEX tokens_by_prefix ON tokens (prefix)",
           "CREATE INDEX tokens_by_user ON tokens (user_name, created_ms)",
           // Projects and their members, each with one role (viewer, runner, editor, owner).
           // Existing data will move into project `default`.
           "CREATE TABLE projects (name TEXT PRIMARY KEY, description TEXT NOT NULL, "
           "created_ms BIGINT NOT NULL)",
           "CREATE TABLE project_members (project TEXT NOT NULL, user_name TEXT NOT NULL, role "
           "TEXT NOT NULL, added_ms BIGINT NOT NULL, PRIMARY KEY (project, user_name))",
           "CREATE INDEX project_members_by_user ON project_members (user_name)",
           "INSERT INTO projects (name, description, created_ms) VALUES ('default', 'Everything "
           "made before projects existed', 0)",
       }},
      {10,
       {
           // No query looks step outputs up by digest (lineage does, through lineage_edges),
           // and every step, cached ones too, wrote an entry to this index at a random place:
           // a page read and written per step once the store is large (docs/benchmarks.md).
           "DROP INDEX IF EXISTS step_outputs_by_digest",
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
