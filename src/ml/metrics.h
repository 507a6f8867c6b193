// Evaluation metrics over predictions, with the definitions scikit-learn uses so the numbers
// can be compared: accuracy, log loss, precision/recall/F1, ROC AUC, RMSE, MAE, R2.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace kiln::ml {

// Classifier metrics. `actual` and `predicted` are class ids < `classes`; `probabilities` is
// rows x classes, row-major. Gives accuracy, log_loss (probabilities clipped to [1e-15,
// 1 - 1e-15] and each row renormalized), precision, recall and f1 (for two classes: of class 1,
// like sklearn's average='binary'; otherwise the unweighted mean over classes, 'macro'), and
// roc_auc for two classes (ties share ranks). Rows must be > 0.
std::map<std::string, double> ClassifierMetrics(const std::vector<size_t>& actual,
                                                const std::vector<size_t>& predicted,
                                                const std::vector<float>& probabilities,
                                                size_t classes);

// counts[actual][predicted].
std::vector<std::vector<int64_t>> ConfusionMatrix(const std::vector<size_t>& actual,
                                                  const std::vector<size_t>& predicted,
                                                  size_t classes);

// rmse, mae and r2 (1 - SS_res / SS_tot; 0 when every actual value is the same). Rows > 0.
std::map<std::string, double> RegressionMetrics(const std::vector<double>& actual,
                                                const std::vector<double>& predicted);

}  // namespace kiln::ml
