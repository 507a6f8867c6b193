// Owning wrappers over the XGBoost C API's handles, with its error codes turned into Status.
// The only files that include <xgboost/c_api.h> are this one's .cc and xgb_inplace.cc.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace kiln::ml {

// A dense float matrix in XGBoost (row-major; NaN = missing), optionally with labels.
class XgbMatrix {
 public:
  // Copies `values` (rows x cols) using `threads` threads (0 = all cores). Errors: kInternal
  // with XGBoost's message.
  static Result<XgbMatrix> Create(const std::vector<float>& values, size_t rows, size_t cols,
                                  int threads = 0);
  // As above, from `values` (rows x cols floats), borrowed for the call only.
  static Result<XgbMatrix> Create(const float* values, size_t rows, size_t cols, int threads = 0);
  XgbMatrix(XgbMatrix&&) noexcept;
  XgbMatrix& operator=(XgbMatrix&&) noexcept;
  ~XgbMatrix();

  Status SetLabels(const std::vector<float>& labels);
  void* handle() const { return handle_; }

 private:
  XgbMatrix() = default;
  void* handle_ = nullptr;
};

// A booster. Not thread-safe, except PredictDense.
class XgbBooster {
 public:
  // A booster to be trained on `train` (and evaluated on `evals`, which must outlive it).
  static Result<XgbBooster> Create(const std::vector<const XgbMatrix*>& cache);
  // A booster loaded from a model file written by Save (XGBoost JSON).
  static Result<XgbBooster> Load(const std::string& path);
  XgbBooster(XgbBooster&&) noexcept;
  XgbBooster& operator=(XgbBooster&&) noexcept;
  ~XgbBooster();

  Status SetParam(const std::string& name, const std::string& value);
  Status UpdateOneIter(int iteration, const XgbMatrix& train);
  // XGBoost's evaluation line for this iteration, e.g. "[3]\tvalid-mlogloss:0.12".
  Result<std::string> EvalOneIter(int iteration, const std::vector<const XgbMatrix*>& matrices,
                                  const std::vector<std::string>& names);
  // Predictions (probabilities for classifiers: rows x classes for multiclass) using trees
  // [0, iteration_end) (0 = all).
  Result<std::vector<float>> Predict(const XgbMatrix& data, int iteration_end = 0) const;
  // The same predictions straight from row-major `values` (rows x cols, NaN = missing) through
  // XGBoost's in-place prediction: no DMatrix, no prediction cache, no lock, so it is safe and
  // fast from many threads at once (xgb_inplace.cc).
  Result<std::vector<float>> PredictDense(const std::vector<float>& values, size_t rows,
                                          size_t cols, int iteration_end = 0) const;
  Status Save(const std::string& path) const;
  // The number of boosting rounds the booster holds.
  Result<int> Rounds() const;
  // A new booster holding only the trees of rounds [0, end_round), as XGBoost's own slicing
  // makes it (1 <= end_round <= Rounds()). Errors: kInternal with XGBoost's message.
  Result<XgbBooster> Slice(int end_round) const;
  // Total gain importance by feature name ("f0", "f1", ... unless names were set); features
  // no split uses are absent.
  Result<std::vector<std::pair<std::string, double>>> GainImportance() const;

 private:
  XgbBooster() = default;
  void* handle_ = nullptr;
};

}  // namespace kiln::ml
