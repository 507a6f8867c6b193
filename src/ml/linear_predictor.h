// The predictor of packages with flavor linear: a linear model (ml/linear_model.h) stored as
// model.json, with the package's preprocessing chain applied first.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "ml/linear_model.h"
#include "ml/predictor.h"

namespace kiln::ml {

class LinearPredictor : public Predictor {
 public:
  // Loads model.json and the chain of the package in `dir`, whose manifest is `package`.
  // Errors: kInvalidArgument naming the bad file or field, or a model whose weights do not match
  // the package's features.
  static Result<std::unique_ptr<Predictor>> Load(const std::string& dir, ModelPackage package);

  const ModelPackage& package() const override { return package_; }
  Result<Predictions> Predict(const Table& table) const override;

 private:
  LinearPredictor(ModelPackage package, LinearModel model, std::optional<FittedPreprocess> chain)
      : package_(std::move(package)), model_(std::move(model)), chain_(std::move(chain)) {}

  ModelPackage package_;
  LinearModel model_;
  std::optional<FittedPreprocess> chain_;
};

// The file a linear model is saved to. Errors: kInternal on I/O.
Status SaveLinearModel(const LinearModel& model, const std::string& path);

}  // namespace kiln::ml
