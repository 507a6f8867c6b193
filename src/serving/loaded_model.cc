#include "serving/loaded_model.h"

#include <spdlog/spdlog.h>

#include "artifacts/blob_tree.h"
#include "common/ids.h"
#include "ml/feature_profile.h"
#include "ml/table.h"
#include "registry/package_source.h"

namespace kiln::serving {
namespace {

ml::Column SyntheticColumn(const std::string& name, const std::string& type) {
  if (type == "int64") return ml::Column::Int64(name, {0});
  if (type == "bool") return ml::Column::Bool(name, {0});
  if (type == "string") return ml::Column::String(name, {""});
  return ml::Column::Float64(name, {0.0});
}

Result<std::shared_ptr<const LoadedModel>> LoadFrom(const std::string& name, int64_t version,
                                                    const std::string& digest,
                                                    const std::string& dir) {
  Result<std::unique_ptr<ml::Predictor>> predictor = ml::LoadPredictor(dir);
  if (!predictor.ok()) {
    return InvalidArgument("model " + name + " cannot be loaded: " + predictor.status().message());
  }
  auto out = std::make_shared<LoadedModel>();
  out->name = name;
  out->version = version;
  out->digest = digest;
  out->predictor = std::move(*predictor);
  out->loaded_ms = NowMillis();
  Warm(*out);  // before the monitor exists, so the synthetic row is not counted
  const nlohmann::json& profile = out->package().profile;
  if (profile.is_array() && !profile.empty()) {
    Result<std::vector<ml::FeatureProfile>> features = ml::ProfileFromJson(profile);
    if (!features.ok()) {
      return InvalidArgument("model " + name + ": kiln-model.json " + features.status().message());
    }
    out->drift = std::make_shared<DriftMonitor>(std::move(*features));
  }
  return std::shared_ptr<const LoadedModel>(std::move(out));
}

// A client sees why a package cannot be read, never where the server keeps it.
Status PackageError(const std::string& id, const std::string& digest, const Status& status) {
  const std::string what = id + ": package " + digest;
  switch (status.code()) {
    case StatusCode::kNotFound:
      return InvalidArgument(what + " is not stored (" + status.message() + ")");
    case StatusCode::kInvalidArgument:
      return InvalidArgument(what + " cannot be used: " + status.message());
    default:
      spdlog::error("{}: cannot materialize: {}", what, status.message());
      return Internal(what + " cannot be materialized (see the server log)");
  }
}

// `message` with the materialized folder's path replaced by "<package>".
std::string WithoutFolder(std::string message, const std::string& dir) {
  for (size_t at = message.find(dir); at != std::string::npos; at = message.find(dir, at)) {
    message.replace(at, dir.size(), "<package>");
  }
  return message;
}

}  // namespace

Result<int64_t> ModelLoader::Resolve(const ModelRef& ref) {
  if (!ref.follows_alias()) {
    KILN_RETURN_IF_ERROR(registry_.GetModelVersion(ref.name, std::to_string(ref.version)).status());
    return ref.version;
  }
  KILN_ASSIGN_OR_RETURN(registry::ModelVersion v, registry_.GetVersionByAlias(ref.name, ref.alias));
  return std::stoll(v.version);
}

Result<std::shared_ptr<const LoadedModel>> ModelLoader::Load(const std::string& name,
                                                             int64_t version) {
  KILN_ASSIGN_OR_RETURN(registry::ModelVersion v,
                        registry_.GetModelVersion(name, std::to_string(version)));
  const std::string id = name + "/" + v.version;
  // Checked before any filesystem access: only a digest of Kiln's own blob store is loadable.
  Result<std::string> digest = registry::PackageDigest(v.source);
  if (!digest.ok()) return InvalidArgument(id + ": " + digest.status().message());
  Result<std::string> dir = artifacts::MaterializeTree(artifacts_, *digest, cache_root_);
  if (!dir.ok()) return PackageError(id, *digest, dir.status());
  Result<std::shared_ptr<const LoadedModel>> loaded = LoadFrom(name, version, *digest, *dir);
  if (!loaded.ok()) {
    return Status(loaded.status().code(), WithoutFolder(loaded.status().message(), *dir));
  }
  return loaded;
}

Result<std::shared_ptr<const LoadedModel>> ModelLoader::LoadFolder(const std::string& name,
                                                                   int64_t version,
                                                                   const std::string& dir) {
  return LoadFrom(name, version, "", dir);
}

void Warm(const LoadedModel& model) {
  ml::Table row;
  for (const auto& [name, type] : model.package().signature) {
    if (!row.AddColumn(SyntheticColumn(name, type)).ok()) return;
  }
  model.predictor->Predict(row).status().IgnoreError();
}

}  // namespace kiln::serving
