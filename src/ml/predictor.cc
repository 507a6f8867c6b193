#include "ml/predictor.h"

#include <algorithm>
#include <filesystem>

#include "ml/linear_predictor.h"
#include "ml/preprocess_json.h"
#include "ml/python_predictor.h"
#include "ml/xgb_predictor.h"

namespace kiln::ml {

void PickClasses(Predictions& p) {
  p.predicted.clear();
  p.predicted.reserve(p.rows());
  for (size_t r = 0; r < p.rows(); ++r) {
    auto row = p.scores.begin() + static_cast<std::ptrdiff_t>(r * p.width);
    p.predicted.push_back(static_cast<size_t>(
        std::max_element(row, row + static_cast<std::ptrdiff_t>(p.width)) - row));
  }
}

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

Result<std::unique_ptr<Predictor>> LoadPredictor(const std::string& dir) {
  KILN_ASSIGN_OR_RETURN(ModelPackage package, ReadPackageManifest(dir));
  if (package.flavor == kFlavorLinear) return LinearPredictor::Load(dir, std::move(package));
  if (package.flavor == kFlavorPython) return PythonPredictor::Load(dir, std::move(package));
  return XgbPredictor::Load(dir, std::move(package));
}

Result<std::optional<FittedPreprocess>> LoadPackageChain(const std::string& dir,
                                                         const ModelPackage& package) {
  if (!package.has_preprocess) return std::optional<FittedPreprocess>();
  KILN_ASSIGN_OR_RETURN(
      FittedPreprocess fitted,
      ReadPreprocessFile((std::filesystem::path(dir) / kPackagePreprocess).string()));
  return std::optional<FittedPreprocess>(std::move(fitted));
}

Result<const Table*> ApplyChain(const std::optional<FittedPreprocess>& chain, const Table& rows,
                                std::optional<Table>& storage,
                                std::vector<UnseenCategory>& unseen) {
  if (!chain) return &rows;
  KILN_ASSIGN_OR_RETURN(storage, ApplyPreprocess(*chain, rows, unseen));
  return &*storage;
}

}  // namespace kiln::ml
