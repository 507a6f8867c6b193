#include "ml/xgb_predictor.h"

#include <algorithm>
#include <filesystem>

#include "ml/features.h"
#include "ml/file_io.h"
#include "ml/preprocess_json.h"

namespace kiln::ml {

Table PredictionsTable(const ModelPackage& package, const Predictions& p) {
  Table out;
  // Fresh, distinct column names: adding cannot fail.
  if (!package.is_classifier()) {
    out.AddColumn(
           Column::Float64("predicted", std::vector<double>(p.scores.begin(), p.scores.end())))
        .IgnoreError();
    return out;
  }
  std::vector<std::string> labels;
  for (size_t c : p.predicted) labels.push_back(package.classes[c]);
  out.AddColumn(Column::String("predicted", std::move(labels))).IgnoreError();
  for (size_t c = 0; c < p.width; ++c) {
    std::vector<double> column;
    for (size_t r = 0; r < p.rows(); ++r) column.push_back(p.scores[r * p.width + c]);
    out.AddColumn(Column::Float64("p_" + package.classes[c], std::move(column))).IgnoreError();
  }
  return out;
}

Result<XgbPredictor> XgbPredictor::Load(const std::string& dir) {
  KILN_ASSIGN_OR_RETURN(ModelPackage package, ReadPackageManifest(dir));
  KILN_ASSIGN_OR_RETURN(XgbBooster booster,
                        XgbBooster::Load((std::filesystem::path(dir) / kPackageModel).string()));
  std::optional<FittedPreprocess> chain;
  if (package.has_preprocess) {
    const std::string path = (std::filesystem::path(dir) / kPackagePreprocess).string();
    KILN_ASSIGN_OR_RETURN(FileBytes bytes, ReadFileBytes(path));
    nlohmann::json json = nlohmann::json::parse(bytes.view(), nullptr, /*allow_exceptions=*/false);
    Result<FittedPreprocess> fitted = PreprocessFromJson(json);
    if (!fitted.ok()) return InvalidArgument(path + ": " + fitted.status().message());
    chain = std::move(*fitted);
  }
  return XgbPredictor(std::move(package), std::move(booster), std::move(chain));
}

Result<Predictions> XgbPredictor::Predict(const Table& rows) const {
  std::optional<Table> transformed;
  if (chain_) {
    KILN_ASSIGN_OR_RETURN(transformed, ApplyPreprocess(*chain_, rows));
  }
  const Table& table = transformed ? *transformed : rows;
  KILN_ASSIGN_OR_RETURN(std::vector<float> matrix, FeatureMatrix(table, package_.features));
  KILN_ASSIGN_OR_RETURN(XgbMatrix data,
                        XgbMatrix::Create(matrix, table.num_rows(), package_.features.size()));
  KILN_ASSIGN_OR_RETURN(std::vector<float> raw,
                        booster_.Predict(data, static_cast<int>(package_.best_iteration)));
  Predictions out;
  if (package_.task == "regression") {
    out.scores = std::move(raw);
    return out;
  }
  out.width = package_.classes.size();
  if (package_.task == "binary") {
    for (float p : raw) {
      out.scores.push_back(1.0f - p);
      out.scores.push_back(p);
    }
  } else {
    out.scores = std::move(raw);
  }
  for (size_t r = 0; r < out.rows(); ++r) {
    auto row = out.scores.begin() + static_cast<std::ptrdiff_t>(r * out.width);
    out.predicted.push_back(static_cast<size_t>(
        std::max_element(row, row + static_cast<std::ptrdiff_t>(out.width)) - row));
  }
  return out;
}

}  // namespace kiln::ml
