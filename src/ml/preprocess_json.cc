// Writing a fitted preprocess chain as JSON (reading: preprocess_json_read.cc).
#include "ml/preprocess_json.h"

namespace kiln::ml {
namespace {

using nlohmann::json;

json ImputeValue(const ImputeFit& fit) {
  if (fit.strategy != ImputeStrategy::kMostFrequent) return fit.number;
  switch (fit.type) {
    case ColumnType::kFloat64:
      return fit.number;
    case ColumnType::kInt64:
      return fit.integer;
    case ColumnType::kBool:
      return fit.boolean;
    case ColumnType::kString:
      return fit.text;
  }
  return nullptr;
}

json Pairs(const std::vector<ColumnPair>& pairs) {
  json out = json::array();
  for (const ColumnPair& pair : pairs) out.push_back({{"left", pair.left}, {"right", pair.right}});
  return out;
}

json Categories(const std::vector<CategoriesFit>& fits) {
  json out = json::array();
  for (const CategoriesFit& fit : fits) {
    out.push_back({{"column", fit.column},
                   {"type", ColumnTypeName(fit.type)},
                   {"categories", fit.categories}});
  }
  return out;
}

}  // namespace

json PreprocessToJson(const FittedPreprocess& fitted) {
  json impute = json::array();
  for (const ImputeFit& fit : fitted.impute) {
    impute.push_back({{"column", fit.column},
                      {"strategy", ImputeStrategyName(fit.strategy)},
                      {"type", ColumnTypeName(fit.type)},
                      {"value", ImputeValue(fit)}});
  }
  json standardize = json::array();
  for (const StandardizeFit& fit : fitted.standardize) {
    standardize.push_back({{"column", fit.column}, {"mean", fit.mean}, {"std", fit.std}});
  }
  json minmax = json::array();
  for (const MinMaxFit& fit : fitted.minmax) {
    minmax.push_back({{"column", fit.column}, {"min", fit.min}, {"max", fit.max}});
  }
  json inputs = json::array();
  for (const ColumnSchema& input : fitted.inputs) {
    inputs.push_back({{"column", input.column}, {"type", ColumnTypeName(input.type)}});
  }
  return {{"format", kPreprocessFormat},
          {"inputs", std::move(inputs)},
          {"impute", std::move(impute)},
          {"cross_product", Pairs(fitted.cross_product)},
          {"cross_concat", Pairs(fitted.cross_concat)},
          {"label_encode", Categories(fitted.label_encode)},
          {"one_hot", Categories(fitted.one_hot)},
          {"standardize", std::move(standardize)},
          {"minmax", std::move(minmax)}};
}

Result<std::string> PreprocessJsonText(const FittedPreprocess& fitted) {
  try {
    return PreprocessToJson(fitted).dump(2) + "\n";
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("cannot write the preprocess JSON: ") + e.what());
  }
}

}  // namespace kiln::ml
