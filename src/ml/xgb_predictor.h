// The predictor of packages with flavor xgboost: the package's XGBoost model, with its
// preprocessing chain applied first.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "ml/predictor.h"
#include "ml/xgb_forest.h"
#include "ml/xgb_handles.h"

namespace kiln::ml {

class XgbPredictor : public Predictor {
 public:
  // Loads model.json and the chain of the package in `dir`, whose manifest is `package`.
  // Errors: kInvalidArgument (a bad model or chain file), kInternal.
  static Result<std::unique_ptr<Predictor>> Load(const std::string& dir, ModelPackage package);

  const ModelPackage& package() const override { return package_; }
  Result<Predictions> Predict(const Table& table) const override;

 private:
  XgbPredictor(ModelPackage package, XgbBooster booster, std::optional<FittedPreprocess> chain,
               std::optional<XgbForest> forest)
      : package_(std::move(package)),
        booster_(std::move(booster)),
        chain_(std::move(chain)),
        forest_(std::move(forest)) {}

  ModelPackage package_;
  XgbBooster booster_;
  std::optional<FittedPreprocess> chain_;
  // The same trees scored without XGBoost, when they are of a kind the forest covers and it
  // gave XGBoost's answers on probe rows at load time; otherwise XGBoost scores.
  std::optional<XgbForest> forest_;
};

}  // namespace kiln::ml
