// Linear models with an L2 penalty, fitted exactly (Eigen): ridge regression and logistic
// regression (binary, or multinomial over all classes). The intercept is never penalized, so the
// optima are those of scikit-learn's Ridge(alpha=l2) and LogisticRegression(C=1/l2).
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/table.h"

namespace kiln::ml {

// Row-major doubles, rows x cols.
struct DenseMatrix {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<double> values;
};

// The `features` of `table` as doubles (bools as 0/1). Errors: kInvalidArgument naming a missing
// or string column, or the first missing value (column and row): linear models take no gaps.
Result<DenseMatrix> DesignMatrix(const Table& table, const std::vector<std::string>& features);

enum class LinearLink { kIdentity, kLogistic, kSoftmax };

struct LinearModel {
  LinearLink link = LinearLink::kIdentity;
  // One row of weights per output (1 for regression and binary, one per class for softmax).
  std::vector<std::vector<double>> coef;
  std::vector<double> intercept;  // one per output
  double l2 = 0;
  int iterations = 0;  // Newton steps (logistic); 0 for ridge's closed form
  bool converged = true;

  size_t outputs() const { return intercept.size(); }
};

// Minimizes 1/2 sum (y - xw - b)^2 + l2/2 |w|^2 (l2 >= 0). Errors: kInvalidArgument when the
// system is singular (constant or duplicated columns with l2 = 0).
Result<LinearModel> FitRidge(const DenseMatrix& x, const std::vector<double>& y, double l2);

struct LogisticOptions {
  double l2 = 1.0;
  int max_iter = 100;
  double tol = 1e-8;  // stop when the largest gradient entry, per row, falls below this
};

// Minimizes sum log loss + l2/2 |W|^2 by Newton's method with a backtracking line search.
// `labels` are class ids below `classes` (>= 2); 2 classes fit one weight vector (p of class 1),
// more fit a softmax over all classes. Errors: kInvalidArgument when there are too many
// parameters for an exact Newton step (classes x (features + 1) > 2048).
Result<LinearModel> FitLogistic(const DenseMatrix& x, const std::vector<size_t>& labels,
                                size_t classes, const LogisticOptions& options);

// rows x width scores: the values (identity), p(class 0), p(class 1) (logistic) or the class
// probabilities (softmax). `x` must have as many columns as the model has weights.
std::vector<double> LinearScores(const LinearModel& model, const DenseMatrix& x);

nlohmann::json LinearModelToJson(const LinearModel& model);
// Errors: kInvalidArgument naming the bad field.
Result<LinearModel> LinearModelFromJson(const nlohmann::json& json);

}  // namespace kiln::ml
