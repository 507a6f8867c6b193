#include "serving/loaded_model.h"

#include "artifacts/blob_tree.h"
#include "common/ids.h"
#include "ml/feature_profile.h"
#include "ml/table.h"

namespace kiln::serving {
namespace {

constexpr const char* kPackageSource = "kiln-package:";

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
  if (v.source.rfind(kPackageSource, 0) != 0) {
    return InvalidArgument(name + "/" + v.version + " is not a Kiln model package (source '" +
                           v.source + "')");
  }
  const std::string digest = v.source.substr(std::string(kPackageSource).size());
  Result<std::string> dir = artifacts::MaterializeTree(artifacts_, digest, cache_root_);
  if (!dir.ok()) {
    return InvalidArgument(name + "/" + v.version + ": package " + digest +
                           " cannot be read: " + dir.status().message());
  }
  return LoadFrom(name, version, digest, *dir);
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
