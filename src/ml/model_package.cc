#include "ml/model_package.h"

#include <filesystem>

#include "ml/file_io.h"

namespace kiln::ml {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "kiln-model-v1";

json ToJson(const ModelPackage& p) {
  json signature = json::array();
  for (const auto& [name, type] : p.signature)
    signature.push_back({{"name", name}, {"type", type}});
  json importance = json::array();
  for (const auto& [name, gain] : p.importance) {
    importance.push_back({{"feature", name}, {"gain", gain}});
  }
  json out = {{"format", kFormat},
              {"flavor", p.flavor},
              {"task", p.task},
              {"label", p.label},
              {"classes", p.classes},
              {"features", p.features},
              {"signature", signature},
              {"params", p.params},
              {"metrics", p.metrics},
              {"feature_importance", importance},
              {"best_iteration", p.best_iteration},
              {"model_rounds", p.model_rounds},
              {"model_file", p.flavor == kFlavorPython ? p.python_file : kPackageModel},
              {"preprocess_file", p.has_preprocess ? json(kPackagePreprocess) : json(nullptr)},
              {"profile", p.profile}};
  if (p.flavor == kFlavorPython) out["python"] = {{"file", p.python_file}};
  return out;
}

// A plain file name inside the package folder: no separators, no "." or "..".
bool IsPlainFileName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

Result<ModelPackage> FromJson(const json& j, const std::string& where) {
  auto bad = [&](const std::string& field) {
    return InvalidArgument(where + ": field '" + field + "' is missing or malformed");
  };
  if (!j.is_object() || j.value("format", "") != kFormat) {
    return InvalidArgument(where + " is not a Kiln model package (format " + kFormat + ")");
  }
  ModelPackage p;
  p.flavor = j.value("flavor", "");
  if (p.flavor != kFlavorXgboost && p.flavor != kFlavorLinear && p.flavor != kFlavorPython) {
    return InvalidArgument(where + ": unknown flavor '" + p.flavor + "' (known: " + kFlavorXgboost +
                           ", " + kFlavorLinear + ", " + kFlavorPython + ")");
  }
  if (p.flavor == kFlavorPython) {
    p.python_file = j.value("python", json::object()).value("file", "");
    if (!IsPlainFileName(p.python_file)) return bad("python.file");
  }
  p.task = j.value("task", "");
  if (p.task != "binary" && p.task != "multiclass" && p.task != "regression") return bad("task");
  p.label = j.value("label", "");
  if (!j.contains("features") || !j["features"].is_array()) return bad("features");
  p.features = j["features"].get<std::vector<std::string>>();
  if (j.contains("classes")) p.classes = j["classes"].get<std::vector<std::string>>();
  if (p.is_classifier() && p.classes.size() < 2) return bad("classes");
  for (const json& s : j.value("signature", json::array())) {
    p.signature.emplace_back(s.value("name", ""), s.value("type", ""));
  }
  p.params = j.value("params", json::object());
  const json metrics = j.value("metrics", json::object());
  for (const auto& [key, value] : metrics.items()) {
    if (value.is_number()) p.metrics[key] = value.get<double>();
  }
  for (const json& f : j.value("feature_importance", json::array())) {
    p.importance.emplace_back(f.value("feature", ""), f.value("gain", 0.0));
  }
  p.best_iteration = j.value("best_iteration", int64_t{0});
  p.model_rounds = j.value("model_rounds", int64_t{0});
  if (p.best_iteration < 0) return bad("best_iteration");
  if (p.model_rounds < 0) return bad("model_rounds");
  p.has_preprocess = j.contains("preprocess_file") && j["preprocess_file"].is_string();
  if (j.contains("profile") && j["profile"].is_array()) p.profile = j["profile"];
  return p;
}

// The position N of XGBoost's default name "fN", or npos.
size_t DefaultNameIndex(const std::string& name) {
  if (name.size() < 2 || name[0] != 'f' || name.size() > 10) return std::string::npos;
  size_t index = 0;
  for (size_t i = 1; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return std::string::npos;
    index = index * 10 + static_cast<size_t>(name[i] - '0');
  }
  return index;
}

}  // namespace

std::vector<std::pair<std::string, double>> NameImportance(
    std::vector<std::pair<std::string, double>> importance,
    const std::vector<std::string>& features) {
  for (auto& [name, gain] : importance) {
    const size_t index = DefaultNameIndex(name);
    if (index < features.size()) name = features[index];
  }
  return importance;
}

Status WritePackageManifest(const ModelPackage& package, const std::string& dir) {
  return WriteFileAtomically((std::filesystem::path(dir) / kPackageManifest).string(),
                             ToJson(package).dump(2) + "\n");
}

Result<ModelPackage> ReadPackageManifest(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / kPackageManifest).string();
  Result<FileBytes> bytes = ReadFileBytes(path);
  if (!bytes.ok()) {
    return InvalidArgument("'" + dir + "' is not a model package (no " + kPackageManifest + ")");
  }
  json j = json::parse(bytes->view(), nullptr, /*allow_exceptions=*/false);
  try {
    return FromJson(j, path);
  } catch (const json::exception& e) {  // a field of the wrong JSON type
    return InvalidArgument(path + ": " + e.what());
  }
}

}  // namespace kiln::ml
