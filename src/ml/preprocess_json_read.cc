// Reading a fitted preprocess chain from JSON, naming the bad field in every error. Only
// checked accessors are used, so nlohmann never throws here.
#include "ml/file_io.h"
#include "ml/preprocess_json.h"

namespace kiln::ml {
namespace {

using nlohmann::json;

Status Bad(const std::string& field, const std::string& problem) {
  return InvalidArgument("preprocess JSON: " + field + " " + problem);
}

// "where.key", or "key" at the top level.
std::string Field(const std::string& where, const char* key) {
  return where.empty() ? key : where + "." + key;
}

Result<const json*> Member(const json& object, const std::string& where, const char* key) {
  const std::string field = Field(where, key);
  if (!object.is_object()) return Bad(where.empty() ? "the document" : where, "is not an object");
  auto it = object.find(key);
  if (it == object.end()) return Bad(field, "is missing");
  return &*it;
}

Result<std::string> String(const json& object, const std::string& where, const char* key) {
  KILN_ASSIGN_OR_RETURN(const json* value, Member(object, where, key));
  if (!value->is_string()) return Bad(Field(where, key), "is not a string");
  return value->get<std::string>();
}

Result<double> Number(const json& object, const std::string& where, const char* key) {
  KILN_ASSIGN_OR_RETURN(const json* value, Member(object, where, key));
  if (!value->is_number()) return Bad(Field(where, key), "is not a number");
  return value->get<double>();
}

Result<ColumnType> Type(const json& object, const std::string& where) {
  KILN_ASSIGN_OR_RETURN(std::string name, String(object, where, "type"));
  for (ColumnType type :
       {ColumnType::kFloat64, ColumnType::kInt64, ColumnType::kBool, ColumnType::kString}) {
    if (name == ColumnTypeName(type)) return type;
  }
  return Bad(where + ".type", "is not a column type: '" + name + "'");
}

// Reads the array `key` of `root`, one element at a time with `read(element, "key[i]")`.
template <typename T, typename Read>
Result<std::vector<T>> List(const json& root, const char* key, Read read) {
  KILN_ASSIGN_OR_RETURN(const json* array, Member(root, "", key));
  if (!array->is_array()) return Bad(key, "is not an array");
  std::vector<T> out;
  for (size_t i = 0; i < array->size(); ++i) {
    KILN_ASSIGN_OR_RETURN(T item,
                          read((*array)[i], std::string(key) + "[" + std::to_string(i) + "]"));
    out.push_back(std::move(item));
  }
  return out;
}

Status ReadFill(const json& value, const std::string& field, ImputeFit& fit) {
  const bool numeric = fit.strategy != ImputeStrategy::kMostFrequent;
  if (numeric || fit.type == ColumnType::kFloat64) {
    if (!value.is_number()) return Bad(field, "is not a number");
    fit.number = value.get<double>();
  } else if (fit.type == ColumnType::kInt64) {
    if (!value.is_number_integer()) return Bad(field, "is not an integer");
    fit.integer = value.get<int64_t>();
  } else if (fit.type == ColumnType::kBool) {
    if (!value.is_boolean()) return Bad(field, "is not a bool");
    fit.boolean = value.get<bool>();
  } else {
    if (!value.is_string()) return Bad(field, "is not a string");
    fit.text = value.get<std::string>();
  }
  return Status::Ok();
}

Result<ImputeFit> ReadImpute(const json& item, const std::string& where) {
  ImputeFit fit;
  KILN_ASSIGN_OR_RETURN(fit.column, String(item, where, "column"));
  KILN_ASSIGN_OR_RETURN(std::string strategy, String(item, where, "strategy"));
  if (strategy == "mean") {
    fit.strategy = ImputeStrategy::kMean;
  } else if (strategy == "median") {
    fit.strategy = ImputeStrategy::kMedian;
  } else if (strategy == "most_frequent") {
    fit.strategy = ImputeStrategy::kMostFrequent;
  } else {
    return Bad(where + ".strategy", "is not mean, median or most_frequent: '" + strategy + "'");
  }
  KILN_ASSIGN_OR_RETURN(fit.type, Type(item, where));
  KILN_ASSIGN_OR_RETURN(const json* value, Member(item, where, "value"));
  KILN_RETURN_IF_ERROR(ReadFill(*value, where + ".value", fit));
  return fit;
}

Result<ColumnPair> ReadPair(const json& item, const std::string& where) {
  ColumnPair pair;
  KILN_ASSIGN_OR_RETURN(pair.left, String(item, where, "left"));
  KILN_ASSIGN_OR_RETURN(pair.right, String(item, where, "right"));
  return pair;
}

Result<CategoriesFit> ReadCategories(const json& item, const std::string& where) {
  CategoriesFit fit;
  KILN_ASSIGN_OR_RETURN(fit.column, String(item, where, "column"));
  KILN_ASSIGN_OR_RETURN(fit.type, Type(item, where));
  KILN_ASSIGN_OR_RETURN(const json* categories, Member(item, where, "categories"));
  if (!categories->is_array()) return Bad(where + ".categories", "is not an array");
  for (size_t i = 0; i < categories->size(); ++i) {
    if (!(*categories)[i].is_string()) {
      return Bad(where + ".categories[" + std::to_string(i) + "]", "is not a string");
    }
    fit.categories.push_back((*categories)[i].get<std::string>());
  }
  return fit;
}

Result<StandardizeFit> ReadStandardize(const json& item, const std::string& where) {
  StandardizeFit fit;
  KILN_ASSIGN_OR_RETURN(fit.column, String(item, where, "column"));
  KILN_ASSIGN_OR_RETURN(fit.mean, Number(item, where, "mean"));
  KILN_ASSIGN_OR_RETURN(fit.std, Number(item, where, "std"));
  if (fit.std == 0) return Bad(where + ".std", "is 0");
  return fit;
}

Result<ColumnSchema> ReadInput(const json& item, const std::string& where) {
  ColumnSchema input;
  KILN_ASSIGN_OR_RETURN(input.column, String(item, where, "column"));
  KILN_ASSIGN_OR_RETURN(input.type, Type(item, where));
  return input;
}

Result<MinMaxFit> ReadMinMax(const json& item, const std::string& where) {
  MinMaxFit fit;
  KILN_ASSIGN_OR_RETURN(fit.column, String(item, where, "column"));
  KILN_ASSIGN_OR_RETURN(fit.min, Number(item, where, "min"));
  KILN_ASSIGN_OR_RETURN(fit.max, Number(item, where, "max"));
  return fit;
}

}  // namespace

Result<FittedPreprocess> PreprocessFromJson(const json& root) {
  KILN_ASSIGN_OR_RETURN(std::string format, String(root, "", "format"));
  if (format != kPreprocessFormat) {
    return Bad("format", "is '" + format + "', expected '" + kPreprocessFormat + "'");
  }
  FittedPreprocess fitted;
  KILN_ASSIGN_OR_RETURN(fitted.impute, List<ImputeFit>(root, "impute", ReadImpute));
  KILN_ASSIGN_OR_RETURN(fitted.cross_product, List<ColumnPair>(root, "cross_product", ReadPair));
  KILN_ASSIGN_OR_RETURN(fitted.cross_concat, List<ColumnPair>(root, "cross_concat", ReadPair));
  KILN_ASSIGN_OR_RETURN(fitted.label_encode,
                        List<CategoriesFit>(root, "label_encode", ReadCategories));
  KILN_ASSIGN_OR_RETURN(fitted.one_hot, List<CategoriesFit>(root, "one_hot", ReadCategories));
  KILN_ASSIGN_OR_RETURN(fitted.standardize,
                        List<StandardizeFit>(root, "standardize", ReadStandardize));
  KILN_ASSIGN_OR_RETURN(fitted.minmax, List<MinMaxFit>(root, "minmax", ReadMinMax));
  if (root.contains("inputs")) {
    KILN_ASSIGN_OR_RETURN(fitted.inputs, List<ColumnSchema>(root, "inputs", ReadInput));
  }
  return fitted;
}

Result<FittedPreprocess> ReadPreprocessFile(const std::string& path, json* document) {
  Result<FileBytes> bytes = ReadFileBytes(path);
  if (!bytes.ok()) return InvalidArgument("cannot read the preprocessing chain " + path);
  json root = json::parse(bytes->view(), nullptr, /*allow_exceptions=*/false);
  Result<FittedPreprocess> fitted = PreprocessFromJson(root);
  if (!fitted.ok()) return InvalidArgument(path + ": " + fitted.status().message());
  if (document != nullptr) *document = std::move(root);
  return fitted;
}

}  // namespace kiln::ml
