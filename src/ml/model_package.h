// A model package: the folder a training step outputs and serving loads. It holds
//   kiln-model.json   this manifest: flavor, task, label, classes, features, signature, params,
//                     metrics, the rounds trained to the best (best_iteration) and the rounds
//                     model.json holds (model_rounds)
//   model.json        the model: XGBoost's own JSON format (flavor xgboost), exactly the trees
//                     Kiln scores with (with early stopping, sliced at the best round), or the
//                     weights of a linear model (flavor linear, ml/linear_model.h)
//   preprocess.json   the fitted preprocessing chain, when training had one
//   model.pkl         flavor python: a pickled estimator (any name, given as "python": {"file":
//                     ...}), served by a Python worker process (ml/python_predictor.h)
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace kiln::ml {

inline constexpr const char* kPackageManifest = "kiln-model.json";
inline constexpr const char* kPackageModel = "model.json";
inline constexpr const char* kPackagePreprocess = "preprocess.json";
inline constexpr const char* kFlavorXgboost = "xgboost";
inline constexpr const char* kFlavorLinear = "linear";
inline constexpr const char* kFlavorPython = "python";

struct ModelPackage {
  std::string flavor = kFlavorXgboost;
  std::string task;  // "binary", "multiclass" or "regression"
  std::string label;
  std::vector<std::string> classes;   // classifiers: class labels, index = class id
  std::vector<std::string> features;  // the model's input columns, in matrix order
  // The columns a caller must send (name, type), before any preprocessing.
  std::vector<std::pair<std::string, std::string>> signature;
  nlohmann::json params = nlohmann::json::object();
  std::map<std::string, double> metrics;
  std::vector<std::pair<std::string, double>> importance;  // gain per feature
  // Early stopping: the boosting rounds up to and including the best one; 0 = not used.
  int64_t best_iteration = 0;
  // Flavor xgboost: the boosting rounds model.json holds, all of which predict. 0 in packages
  // written before Kiln sliced the model at the best round: those hold every trained round
  // and predict with the first best_iteration.
  int64_t model_rounds = 0;
  bool has_preprocess = false;
  // The training distribution of each signature column (ml/training_profile.h); empty when
  // unknown.
  nlohmann::json profile = nlohmann::json::array();
  std::string python_file;  // flavor python: the pickle's file name inside the package folder

  bool is_classifier() const { return task != "regression"; }
  // The rounds of model.json to predict with, as XGBoost's iteration_end (0 = all).
  int64_t PredictRounds() const { return model_rounds > 0 ? 0 : best_iteration; }
};

// `importance` with XGBoost's default feature names ("f0", "f1", ...) replaced by the names of
// `features` at those positions; other names stay. Pure.
std::vector<std::pair<std::string, double>> NameImportance(
    std::vector<std::pair<std::string, double>> importance,
    const std::vector<std::string>& features);

// Writes kiln-model.json into `dir` (which must exist). Errors: kInternal on I/O.
Status WritePackageManifest(const ModelPackage& package, const std::string& dir);
// Reads and checks kiln-model.json in `dir`. Errors: kInvalidArgument naming the folder and the
// bad field (not a model package, unknown format or flavor).
Result<ModelPackage> ReadPackageManifest(const std::string& dir);

}  // namespace kiln::ml
