// XgbForest: the trees of an XGBoost model (its JSON model file) scored in plain C++. Serving
// scores a few rows per request, where XGBoost's in-place prediction spends most of its time
// parsing its JSON arguments and entering OpenMP regions; walking the trees directly costs a
// fraction of that. Only what XGBoost's CPU predictor does for gbtree models with numerical
// splits is covered; XgbPredictor checks the forest against the booster before using it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace kiln::ml {

class XgbForest {
 public:
  // Reads the XGBoost JSON model at `path`, keeping trees [0, iteration_end) boosting rounds
  // (0 = all). Errors: kFailedPrecondition when the model uses what the forest does not cover
  // (another booster, categorical splits, vector leaves, another objective); kInvalidArgument
  // for an unreadable file.
  static Result<XgbForest> Load(const std::string& path, int iteration_end);

  // What XgbBooster::PredictDense returns for `values` (rows x cols, row-major, NaN =
  // missing): rows x outputs floats, after the objective's transform. Thread-safe.
  void Predict(const float* values, size_t rows, size_t cols, std::vector<float>& out) const;
  // The number of columns the trees read (the largest split feature + 1).
  size_t columns() const { return columns_; }
  // The split thresholds the trees compare feature `column` with (for probing).
  std::vector<float> Thresholds(size_t column) const;

 private:
  enum class Transform { kIdentity, kSigmoid, kSoftmax };
  struct Node {
    int32_t left;   // node index, or -1 for a leaf
    int32_t right;  // node index
    uint32_t feature;
    uint32_t default_left;  // missing values go left
    float value;            // split threshold (go left when below), or the leaf's value
  };

  float Walk(uint32_t root, const float* row) const;

  std::vector<Node> nodes_;  // all trees, each tree's nodes together
  std::vector<uint32_t> roots_;
  std::vector<uint32_t> groups_;  // the output each tree adds to
  size_t outputs_ = 1;
  size_t columns_ = 0;
  float base_margin_ = 0;
  Transform transform_ = Transform::kIdentity;
};

}  // namespace kiln::ml
