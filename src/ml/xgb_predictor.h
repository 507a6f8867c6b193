// The predictor of packages with flavor xgboost: the package's XGBoost model, with its
// preprocessing chain applied first.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "ml/predictor.h"
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
  XgbPredictor(ModelPackage package, XgbBooster booster, std::optional<FittedPreprocess> chain)
      : package_(std::move(package)), booster_(std::move(booster)), chain_(std::move(chain)) {}

  ModelPackage package_;
  XgbBooster booster_;
  std::optional<FittedPreprocess> chain_;
};

}  // namespace kiln::ml
