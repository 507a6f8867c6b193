#include "ml/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace kiln::ml {
namespace {

double LogLoss(const std::vector<size_t>& actual, const std::vector<float>& probabilities,
               size_t classes) {
  double total = 0;
  for (size_t r = 0; r < actual.size(); ++r) {
    double sum = 0;
    for (size_t c = 0; c < classes; ++c) {
      sum += std::clamp<double>(probabilities[r * classes + c], 1e-15, 1 - 1e-15);
    }
    const double p = std::clamp<double>(probabilities[r * classes + actual[r]], 1e-15, 1 - 1e-15);
    total -= std::log(p / sum);
  }
  return total / static_cast<double>(actual.size());
}

// Precision, recall and F1 of class `c`; 0 where a denominator is 0 (sklearn's zero_division).
void ClassScores(const std::vector<std::vector<int64_t>>& m, size_t c, double* precision,
                 double* recall, double* f1) {
  double tp = static_cast<double>(m[c][c]), predicted = 0, actual = 0;
  for (size_t k = 0; k < m.size(); ++k) {
    predicted += static_cast<double>(m[k][c]);
    actual += static_cast<double>(m[c][k]);
  }
  *precision = predicted > 0 ? tp / predicted : 0;
  *recall = actual > 0 ? tp / actual : 0;
  *f1 = *precision + *recall > 0 ? 2 * *precision * *recall / (*precision + *recall) : 0;
}

// Area under the ROC curve of class 1 scores: the Mann-Whitney statistic, ties averaged.
double RocAuc(const std::vector<size_t>& actual, const std::vector<float>& probabilities) {
  const size_t n = actual.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  auto score = [&](size_t r) { return probabilities[r * 2 + 1]; };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score(a) < score(b); });
  double positive_rank_sum = 0, positives = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && score(order[j]) == score(order[i])) ++j;
    const double rank = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2;  // 1-based
    for (size_t k = i; k < j; ++k) {
      if (actual[order[k]] == 1) {
        positive_rank_sum += rank;
        positives += 1;
      }
    }
    i = j;
  }
  const double negatives = static_cast<double>(n) - positives;
  if (positives == 0 || negatives == 0) return NAN;
  return (positive_rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

}  // namespace

std::vector<std::vector<int64_t>> ConfusionMatrix(const std::vector<size_t>& actual,
                                                  const std::vector<size_t>& predicted,
                                                  size_t classes) {
  std::vector<std::vector<int64_t>> m(classes, std::vector<int64_t>(classes, 0));
  for (size_t r = 0; r < actual.size(); ++r) ++m[actual[r]][predicted[r]];
  return m;
}

std::map<std::string, double> ClassifierMetrics(const std::vector<size_t>& actual,
                                                const std::vector<size_t>& predicted,
                                                const std::vector<float>& probabilities,
                                                size_t classes) {
  std::map<std::string, double> out;
  const auto m = ConfusionMatrix(actual, predicted, classes);
  double correct = 0;
  for (size_t c = 0; c < classes; ++c) correct += static_cast<double>(m[c][c]);
  out["accuracy"] = correct / static_cast<double>(actual.size());
  out["log_loss"] = LogLoss(actual, probabilities, classes);
  double precision = 0, recall = 0, f1 = 0;
  if (classes == 2) {
    ClassScores(m, 1, &precision, &recall, &f1);
    out["roc_auc"] = RocAuc(actual, probabilities);
  } else {
    for (size_t c = 0; c < classes; ++c) {
      double p, r, f;
      ClassScores(m, c, &p, &r, &f);
      precision += p / static_cast<double>(classes);
      recall += r / static_cast<double>(classes);
      f1 += f / static_cast<double>(classes);
    }
  }
  out["precision"] = precision;
  out["recall"] = recall;
  out["f1"] = f1;
  return out;
}

std::map<std::string, double> RegressionMetrics(const std::vector<double>& actual,
                                                const std::vector<double>& predicted) {
  const double n = static_cast<double>(actual.size());
  double squared = 0, absolute = 0, mean = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double e = predicted[i] - actual[i];
    squared += e * e;
    absolute += std::fabs(e);
    mean += actual[i] / n;
  }
  double total = 0;
  for (double a : actual) total += (a - mean) * (a - mean);
  return {{"rmse", std::sqrt(squared / n)},
          {"mae", absolute / n},
          {"r2", total > 0 ? 1 - squared / total : 0}};
}

}  // namespace kiln::ml
