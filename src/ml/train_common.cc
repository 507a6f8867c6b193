#include "ml/train_common.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "ml/features.h"
#include "ml/preprocess_json.h"
#include "ml/training_profile.h"

namespace kiln::ml {
namespace {

namespace fs = std::filesystem;

Result<std::string> ResolveTask(const std::string& task, const Column& label, size_t n_classes) {
  std::string resolved = task;
  if (task == "auto") {
    const bool categorical =
        label.type() == ColumnType::kString || label.type() == ColumnType::kBool;
    resolved = !categorical ? "regression" : n_classes == 2 ? "binary" : "multiclass";
  }
  if (resolved == "binary" && n_classes != 2) {
    return InvalidArgument("task binary needs 2 classes in '" + label.name() + "', found " +
                           std::to_string(n_classes));
  }
  if (resolved == "multiclass" && n_classes < 2) {
    return InvalidArgument("label '" + label.name() + "' has a single class");
  }
  if (resolved == "regression" && label.type() == ColumnType::kString) {
    return InvalidArgument("task regression needs a numeric label, but '" + label.name() +
                           "' holds strings");
  }
  return resolved;
}

// The `preprocess` input, read once: the fitted chain and the raw training table's profile it
// carries (null in chains written before profiles).
struct ShippedChain {
  FittedPreprocess fitted;
  nlohmann::json profile;
};

Result<std::optional<ShippedChain>> ReadShippedChain(const BuiltinStep& step) {
  if (!step.HasInput("preprocess")) return std::optional<ShippedChain>();
  KILN_ASSIGN_OR_RETURN(std::string path, step.Input("preprocess"));
  nlohmann::json document;
  KILN_ASSIGN_OR_RETURN(FittedPreprocess fitted, ReadPreprocessFile(path, &document));
  return std::optional<ShippedChain>(
      ShippedChain{std::move(fitted), document.value("profile", nlohmann::json())});
}

// The raw columns a caller sends: with a recorded chain, the training table's columns before
// preprocessing that the chain reads or the model takes as they are; otherwise the features.
std::vector<std::pair<std::string, std::string>> Signature(const std::optional<ShippedChain>& chain,
                                                           const TrainingSchema& train,
                                                           const ModelPackage& p) {
  std::vector<std::pair<std::string, std::string>> out;
  if (chain && !chain->fitted.inputs.empty()) {
    const std::vector<std::string> read = ChainReadColumns(chain->fitted);
    auto among = [](const std::vector<std::string>& names, const std::string& name) {
      return std::find(names.begin(), names.end(), name) != names.end();
    };
    for (const ColumnSchema& input : chain->fitted.inputs) {
      if (input.column != p.label &&
          (among(read, input.column) || among(p.features, input.column))) {
        out.emplace_back(input.column, ColumnTypeName(input.type));
      }
    }
    return out;
  }
  for (const std::string& name : p.features) {  // FeatureColumns checked they exist
    out.emplace_back(name, ColumnTypeName(train.types[train.IndexOf(name)]));
  }
  return out;
}

// The training distribution of the signature's columns: from the chain, which profiled the raw
// training table, or from the training table itself (one column at a time).
Result<nlohmann::json> Profile(const std::optional<ShippedChain>& chain,
                               const TrainingSchema& train, const ModelPackage& p) {
  std::vector<std::string> columns;
  for (const auto& [name, type] : p.signature) columns.push_back(name);
  if (chain) return SelectProfiles(chain->profile, columns);
  nlohmann::json out = nlohmann::json::array();
  for (const std::string& name : columns) {
    KILN_ASSIGN_OR_RETURN(Column column, train.column(train.IndexOf(name)));
    Table one;
    KILN_RETURN_IF_ERROR(one.AddColumn(std::move(column)));
    KILN_ASSIGN_OR_RETURN(nlohmann::json profile, ProfileColumns(one, {name}));
    for (nlohmann::json& entry : profile) out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

TrainingSchema SchemaOf(const Table& table) {
  TrainingSchema schema;
  for (const Column& column : table.columns()) {
    schema.names.push_back(column.name());
    schema.types.push_back(column.type());
  }
  schema.column = [&table](size_t i) -> Result<Column> { return table.column(i); };
  return schema;
}

TrainingSchema SchemaOf(const TableFileView& table) {
  TrainingSchema schema;
  schema.names = table.ColumnNames();
  for (size_t i = 0; i < schema.names.size(); ++i) schema.types.push_back(table.type(i));
  schema.column = [&table](size_t i) { return table.CopyColumn(i); };
  return schema;
}

Result<ModelPackage> DescribeModel(const BuiltinStep& step, const TrainingSchema& train) {
  ModelPackage p;
  KILN_ASSIGN_OR_RETURN(p.label, step.String("label"));
  KILN_ASSIGN_OR_RETURN(std::vector<std::string> chosen, step.StringList("features"));
  KILN_ASSIGN_OR_RETURN(p.features, FeatureColumns(train.names, p.label, chosen));
  KILN_ASSIGN_OR_RETURN(const Column label, train.column(train.IndexOf(p.label)));
  KILN_ASSIGN_OR_RETURN(std::string task, step.String("task"));
  std::vector<std::string> classes;
  if (task != "regression") {
    KILN_ASSIGN_OR_RETURN(classes, LabelClasses(label));
  }
  KILN_ASSIGN_OR_RETURN(p.task, ResolveTask(task, label, classes.size()));
  if (p.is_classifier()) p.classes = std::move(classes);
  KILN_ASSIGN_OR_RETURN(std::optional<ShippedChain> chain, ReadShippedChain(step));
  p.signature = Signature(chain, train, p);
  KILN_ASSIGN_OR_RETURN(p.profile, Profile(chain, train, p));
  return p;
}

Status ShipPreprocess(const BuiltinStep& step, const std::string& dir, ModelPackage& package) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Internal("cannot create the package folder " + dir + ": " + ec.message());
  if (!step.HasInput("preprocess")) return Status::Ok();
  KILN_ASSIGN_OR_RETURN(std::string chain, step.Input("preprocess"));
  fs::copy_file(chain, fs::path(dir) / kPackagePreprocess, fs::copy_options::overwrite_existing,
                ec);
  if (ec) return Internal("cannot copy the preprocessing chain: " + ec.message());
  package.has_preprocess = true;
  return Status::Ok();
}

}  // namespace kiln::ml
