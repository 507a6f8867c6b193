#include "ml/xgb_predictor.h"

#include <filesystem>

#include "ml/features.h"

namespace kiln::ml {

Result<std::unique_ptr<Predictor>> XgbPredictor::Load(const std::string& dir,
                                                      ModelPackage package) {
  KILN_ASSIGN_OR_RETURN(XgbBooster booster,
                        XgbBooster::Load((std::filesystem::path(dir) / kPackageModel).string()));
  // One thread per prediction: callers (the server's I/O threads) already run side by side,
  // and waking an OpenMP team for a few rows costs more than the trees themselves.
  KILN_RETURN_IF_ERROR(booster.SetParam("nthread", "1"));
  KILN_ASSIGN_OR_RETURN(std::optional<FittedPreprocess> chain, LoadPackageChain(dir, package));
  return std::unique_ptr<Predictor>(
      new XgbPredictor(std::move(package), std::move(booster), std::move(chain)));
}

Result<Predictions> XgbPredictor::Predict(const Table& rows) const {
  std::optional<Table> storage;
  KILN_ASSIGN_OR_RETURN(const Table* table, ApplyChain(chain_, rows, storage));
  KILN_ASSIGN_OR_RETURN(std::vector<float> matrix, FeatureMatrix(*table, package_.features));
  KILN_ASSIGN_OR_RETURN(std::vector<float> raw,
                        booster_.PredictDense(matrix, table->num_rows(), package_.features.size(),
                                              static_cast<int>(package_.best_iteration)));
  Predictions out;
  if (package_.task == "regression") {
    out.scores = std::move(raw);
    return out;
  }
  out.width = package_.classes.size();
  if (package_.task == "binary") {
    out.scores.reserve(raw.size() * 2);
    for (float p : raw) {
      out.scores.push_back(1.0f - p);
      out.scores.push_back(p);
    }
  } else {
    out.scores = std::move(raw);
  }
  PickClasses(out);
  return out;
}

}  // namespace kiln::ml
