// Scoring tables with a model package's XGBoost model: the same code serves the evaluation
// step, `kiln models predict` and (later) deployments, so they agree to the bit.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/model_package.h"
#include "ml/preprocess.h"
#include "ml/table.h"
#include "ml/xgb_handles.h"

namespace kiln::ml {

struct Predictions {
  size_t width = 1;               // classifiers: one probability per class; regression: 1
  std::vector<float> scores;      // rows x width, row-major
  std::vector<size_t> predicted;  // classifiers: the most probable class of each row

  size_t rows() const { return width == 0 ? 0 : scores.size() / width; }
};

// Predictions as a table: `predicted` (the class label, or the value for regression) and, for
// classifiers, one `p_<class>` probability column per class.
Table PredictionsTable(const ModelPackage& package, const Predictions& predictions);

class XgbPredictor {
 public:
  // Loads the package in `dir`. Errors: kInvalidArgument (not a package), kInternal.
  static Result<XgbPredictor> Load(const std::string& dir);

  const ModelPackage& package() const { return package_; }
  // Scores `table`: raw rows when the package holds a preprocessing chain (applied here, exactly
  // as fitted), otherwise rows with the package's feature columns. Errors: kInvalidArgument
  // naming a missing, mistyped or string column, or a category not seen in training.
  Result<Predictions> Predict(const Table& table) const;

 private:
  XgbPredictor(ModelPackage package, XgbBooster booster, std::optional<FittedPreprocess> chain)
      : package_(std::move(package)), booster_(std::move(booster)), chain_(std::move(chain)) {}

  ModelPackage package_;
  XgbBooster booster_;
  std::optional<FittedPreprocess> chain_;
};

}  // namespace kiln::ml
