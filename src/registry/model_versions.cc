// RegistryService: model versions, stages and version tags.
#include <algorithm>
#include <cctype>

#include "common/ids.h"
#include "common/percent.h"
#include "registry/package_source.h"
#include "registry/registry_rows.h"
#include "registry/registry_service.h"

namespace kiln::registry {
namespace {

// Canonical stage name for any casing of None, Staging, Production, Archived.
Result<std::string> CanonicalStage(const std::string& stage) {
  std::string lower = stage;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  for (const char* known : {"None", "Staging", "Production", "Archived"}) {
    std::string k = known;
    std::transform(k.begin(), k.end(), k.begin(), ::tolower);
    if (lower == k) return std::string(known);
  }
  return InvalidArgument("Invalid Model Version stage: " + stage +
                         ". Value must be one of None, Staging, Production, Archived.");
}

// Runs `fn` in a write transaction on an existing version, bumping the version's and the
// model's update times.
Status UpdateVersion(store::MetaStore& store, const std::string& name, const std::string& version,
                     const std::function<Status(store::Session&, const ModelVersion&)>& fn) {
  return store.Write([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(ModelVersion v, LoadVersion(s, name, version));
    KILN_RETURN_IF_ERROR(fn(s, v));
    KILN_RETURN_IF_ERROR(
        s.Exec("UPDATE model_versions SET last_updated_time = ? WHERE name = ? AND version = ?",
               {NowMillis(), name, std::stoll(v.version)}));
    return TouchModel(s, name);
  });
}

// Sources are handed back to clients by get-download-uri, so a source must not reach outside
// its artifact location: no ".." in any encoding and no local paths.
Status ValidateVersionSource(const std::string& source) {
  if (source.empty()) return InvalidArgument("Missing value for required parameter 'source'.");
  const std::string decoded = PercentDecodeFully(source);
  const bool local = decoded.front() == '/' || decoded.rfind("file:", 0) == 0;
  if (local || HasParentSegment(source)) {
    return InvalidArgument("Invalid model version source: '" + source +
                           "'. A source must be a remote artifact URI (e.g. mlflow-artifacts:/"
                           "..., runs:/..., s3://...) without '..' path segments.");
  }
  // Other sources are MLflow's business; a package source must name a stored package, so a
  // malformed one (a path, "..") is refused here already, not only when it is loaded.
  if (IsPackageSource(source) && !PackageDigest(source).ok()) {
    return InvalidArgument("Invalid model version source: " +
                           PackageDigest(source).status().message());
  }
  return Status::Ok();
}

Result<ModelVersion> ReadVersion(store::MetaStore& store, const std::string& name,
                                 const std::string& version) {
  ModelVersion out;
  KILN_RETURN_IF_ERROR(store.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(out, LoadVersion(s, name, version));
    return Status::Ok();
  }));
  return out;
}

}  // namespace

Result<ModelVersion> RegistryService::CreateModelVersion(const NewModelVersion& request) {
  KILN_RETURN_IF_ERROR(ValidateModelName(request.name));
  KILN_RETURN_IF_ERROR(ValidateVersionSource(request.source));
  for (const Tag& tag : request.tags) KILN_RETURN_IF_ERROR(ValidateRegistryTag(tag));
  ModelVersion out;
  KILN_RETURN_IF_ERROR(store_.Write([&](store::Session& s) -> Status {
    // Numbers are never reused, even after a delete, so models:/name/N always means one thing.
    KILN_ASSIGN_OR_RETURN(
        store::Rows model,
        s.Query("SELECT next_version FROM registered_models WHERE name = ?", {request.name}));
    if (model.empty()) return NotFound("Registered Model with name=" + request.name + " not found");
    const int64_t version = model[0].Int(0);
    KILN_RETURN_IF_ERROR(
        s.Exec("UPDATE registered_models SET next_version = next_version + 1 WHERE name = ?",
               {request.name}));
    const int64_t now = NowMillis();
    KILN_RETURN_IF_ERROR(s.Exec(
        "INSERT INTO model_versions VALUES (?, ?, ?, ?, ?, '', 'None', ?, ?, ?, 'READY', '')",
        {request.name, version, now, now, request.description, request.source, request.run_id,
         request.run_link}));
    for (const Tag& tag : request.tags) {
      KILN_RETURN_IF_ERROR(
          s.Exec("INSERT INTO model_version_tags VALUES (?, ?, ?, ?) ON CONFLICT "
                 "(name, version, key) DO UPDATE SET value = excluded.value",
                 {request.name, version, tag.key, tag.value}));
    }
    KILN_RETURN_IF_ERROR(TouchModel(s, request.name));
    KILN_ASSIGN_OR_RETURN(out, LoadVersion(s, request.name, std::to_string(version)));
    return Status::Ok();
  }));
  return out;
}

Result<ModelVersion> RegistryService::GetModelVersion(const std::string& name,
                                                      const std::string& version) {
  return ReadVersion(store_, name, version);
}

Result<std::vector<ModelVersion>> RegistryService::ListModelVersions(const std::string& name) {
  std::vector<ModelVersion> out;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(RegisteredModel model, LoadModel(s, name));
    KILN_ASSIGN_OR_RETURN(store::Rows rows,
                          s.Query(std::string("SELECT ") + kVersionColumns +
                                      " FROM model_versions v WHERE v.name = ? ORDER BY "
                                      "v.version DESC",
                                  {name}));
    for (const store::Row& row : rows) {
      KILN_ASSIGN_OR_RETURN(ModelVersion v, VersionFromRow(s, row));
      out.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<ModelVersion> RegistryService::UpdateModelVersion(const std::string& name,
                                                         const std::string& version,
                                                         const std::string& description) {
  KILN_RETURN_IF_ERROR(
      UpdateVersion(store_, name, version, [&](store::Session& s, const ModelVersion& v) {
        return s.Exec("UPDATE model_versions SET description = ? WHERE name = ? AND version = ?",
                      {description, name, std::stoll(v.version)});
      }));
  return ReadVersion(store_, name, version);
}

Status RegistryService::DeleteModelVersion(const std::string& name, const std::string& version) {
  return store_.Write([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(ModelVersion v, LoadVersion(s, name, version));
    const std::vector<store::Value> key{name, std::stoll(v.version)};
    for (const char* table : {"model_versions", "model_version_tags", "registered_model_aliases"}) {
      KILN_RETURN_IF_ERROR(
          s.Exec(std::string("DELETE FROM ") + table + " WHERE name = ? AND version = ?", key));
    }
    return TouchModel(s, name);
  });
}

Result<ModelVersion> RegistryService::TransitionStage(const std::string& name,
                                                      const std::string& version,
                                                      const std::string& stage,
                                                      bool archive_existing) {
  KILN_ASSIGN_OR_RETURN(std::string canonical, CanonicalStage(stage));
  if (archive_existing && canonical != "Staging" && canonical != "Production") {
    return InvalidArgument(
        "Model version transition cannot archive existing model versions "
        "because '" +
        canonical +
        "' is not an Active stage. Valid stages "
        "are Staging and Production.");
  }
  KILN_RETURN_IF_ERROR(
      UpdateVersion(store_, name, version, [&](store::Session& s, const ModelVersion& v) -> Status {
        const int64_t number = std::stoll(v.version);
        if (archive_existing) {
          KILN_RETURN_IF_ERROR(
              s.Exec("UPDATE model_versions SET current_stage = 'Archived', "
                     "last_updated_time = ? WHERE name = ? AND current_stage = ? "
                     "AND version != ?",
                     {NowMillis(), name, canonical, number}));
        }
        return s.Exec("UPDATE model_versions SET current_stage = ? WHERE name = ? AND version = ?",
                      {canonical, name, number});
      }));
  return ReadVersion(store_, name, version);
}

Result<std::vector<ModelVersion>> RegistryService::GetLatestVersions(
    const std::string& name, const std::vector<std::string>& stages) {
  std::vector<std::string> wanted;
  for (const std::string& stage : stages) {
    KILN_ASSIGN_OR_RETURN(std::string canonical, CanonicalStage(stage));
    wanted.push_back(canonical);
  }
  KILN_ASSIGN_OR_RETURN(RegisteredModel model, GetRegisteredModel(name));
  std::vector<ModelVersion> out;
  for (ModelVersion& v : model.latest_versions) {
    if (wanted.empty() || std::count(wanted.begin(), wanted.end(), v.current_stage)) {
      out.push_back(std::move(v));
    }
  }
  return out;
}

Status RegistryService::SetModelVersionTag(const std::string& name, const std::string& version,
                                           const Tag& tag) {
  KILN_RETURN_IF_ERROR(ValidateRegistryTag(tag));
  return UpdateVersion(store_, name, version, [&](store::Session& s, const ModelVersion& v) {
    return s.Exec(
        "INSERT INTO model_version_tags VALUES (?, ?, ?, ?) ON CONFLICT (name, version, "
        "key) DO UPDATE SET value = excluded.value",
        {name, std::stoll(v.version), tag.key, tag.value});
  });
}

Status RegistryService::DeleteModelVersionTag(const std::string& name, const std::string& version,
                                              const std::string& key) {
  return UpdateVersion(
      store_, name, version, [&](store::Session& s, const ModelVersion& v) -> Status {
        KILN_RETURN_IF_ERROR(
            s.Exec("DELETE FROM model_version_tags WHERE name = ? AND version = ? "
                   "AND key = ?",
                   {name, std::stoll(v.version), key}));
        if (s.Changes() == 0) {
          return NotFound("No tag with name: " + key + " in model version " + name + "/" + version);
        }
        return Status::Ok();
      });
}

}  // namespace kiln::registry
