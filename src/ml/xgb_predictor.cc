#include "ml/xgb_predictor.h"

#include <algorithm>
#include <filesystem>

#include "ml/features.h"

namespace kiln::ml {

Result<XgbPredictor> XgbPredictor::Load(const std::string& dir) {
  KILN_ASSIGN_OR_RETURN(ModelPackage package, ReadPackageManifest(dir));
  KILN_ASSIGN_OR_RETURN(XgbBooster booster,
                        XgbBooster::Load((std::filesystem::path(dir) / kPackageModel).string()));
  return XgbPredictor(std::move(package), std::move(booster));
}

Result<Predictions> XgbPredictor::Predict(const Table& table) const {
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
