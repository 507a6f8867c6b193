#include "registry/registry_rows.h"

#include <charconv>

#include "common/ids.h"
#include "meta/tag.h"

namespace kiln::registry {

Result<int64_t> ParseVersion(const std::string& version) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), n);
  if (version.empty() || ec != std::errc() || end != version.data() + version.size() || n < 1) {
    return InvalidArgument("Invalid model version '" + version + "': must be a positive integer");
  }
  return n;
}

Status ValidateModelName(const std::string& name) {
  if (name.empty()) return InvalidArgument("Registered model name cannot be empty.");
  return Status::Ok();
}

Status ValidateRegistryTag(const Tag& tag) {
  KILN_RETURN_IF_ERROR(meta::ValidateKey("tag", tag.key));
  if (tag.value.size() > 5000) {
    return InvalidArgument("Registered model value '" + tag.value.substr(0, 40) +
                           "...' had length " + std::to_string(tag.value.size()) +
                           ", which exceeded length limit of 5000");
  }
  return Status::Ok();
}

Result<ModelVersion> VersionFromRow(store::Session& session, const store::Row& row) {
  ModelVersion v;
  v.name = row.Text(0);
  v.version = row.Text(1);
  v.creation_timestamp = row.Int(2);
  v.last_updated_timestamp = row.Int(3);
  v.user_id = row.Text(4);
  v.current_stage = row.Text(5);
  v.description = row.Text(6);
  v.source = row.Text(7);
  v.run_id = row.Text(8);
  v.status = row.Text(9);
  v.status_message = row.Text(10);
  v.run_link = row.Text(11);
  const std::vector<store::Value> key{v.name, row.Int(1)};
  KILN_ASSIGN_OR_RETURN(store::Rows tags,
                        session.Query("SELECT key, value FROM model_version_tags WHERE name = ? "
                                      "AND version = ? ORDER BY key",
                                      key));
  for (const store::Row& t : tags) v.tags.push_back({t.Text(0), t.Text(1)});
  KILN_ASSIGN_OR_RETURN(store::Rows aliases,
                        session.Query("SELECT alias FROM registered_model_aliases WHERE name = ? "
                                      "AND version = ? ORDER BY alias",
                                      key));
  for (const store::Row& a : aliases) v.aliases.push_back(a.Text(0));
  return v;
}

Result<ModelVersion> LoadVersion(store::Session& session, const std::string& name,
                                 const std::string& version) {
  KILN_ASSIGN_OR_RETURN(int64_t number, ParseVersion(version));
  KILN_ASSIGN_OR_RETURN(store::Rows rows,
                        session.Query(std::string("SELECT ") + kVersionColumns +
                                          " FROM model_versions v WHERE v.name = ? AND "
                                          "v.version = ?",
                                      {name, number}));
  if (rows.empty()) {
    return NotFound("Model Version (name=" + name + ", version=" + version + ") not found");
  }
  return VersionFromRow(session, rows[0]);
}

namespace {

Status LoadLatestVersions(store::Session& session, RegisteredModel& model) {
  KILN_ASSIGN_OR_RETURN(
      store::Rows rows,
      session.Query(std::string("SELECT ") + kVersionColumns +
                        " FROM model_versions v WHERE v.name = ? AND v.version = (SELECT "
                        "MAX(w.version) FROM model_versions w WHERE w.name = v.name AND "
                        "w.current_stage = v.current_stage) ORDER BY v.version",
                    {model.name}));
  for (const store::Row& row : rows) {
    KILN_ASSIGN_OR_RETURN(ModelVersion v, VersionFromRow(session, row));
    model.latest_versions.push_back(std::move(v));
  }
  return Status::Ok();
}

}  // namespace

Result<RegisteredModel> LoadModel(store::Session& session, const std::string& name) {
  KILN_ASSIGN_OR_RETURN(store::Rows rows,
                        session.Query("SELECT name, creation_time, last_updated_time, description "
                                      "FROM registered_models WHERE name = ?",
                                      {name}));
  if (rows.empty()) return NotFound("Registered Model with name=" + name + " not found");
  RegisteredModel model;
  model.name = rows[0].Text(0);
  model.creation_timestamp = rows[0].Int(1);
  model.last_updated_timestamp = rows[0].Int(2);
  model.description = rows[0].Text(3);
  KILN_ASSIGN_OR_RETURN(store::Rows tags,
                        session.Query("SELECT key, value FROM registered_model_tags WHERE name = "
                                      "? ORDER BY key",
                                      {name}));
  for (const store::Row& t : tags) model.tags.push_back({t.Text(0), t.Text(1)});
  KILN_ASSIGN_OR_RETURN(store::Rows aliases,
                        session.Query("SELECT alias, version FROM registered_model_aliases WHERE "
                                      "name = ? ORDER BY alias",
                                      {name}));
  for (const store::Row& a : aliases) model.aliases.push_back({a.Text(0), a.Text(1)});
  KILN_RETURN_IF_ERROR(LoadLatestVersions(session, model));
  return model;
}

Status TouchModel(store::Session& session, const std::string& name) {
  return session.Exec("UPDATE registered_models SET last_updated_time = ? WHERE name = ?",
                      {NowMillis(), name});
}

}  // namespace kiln::registry
