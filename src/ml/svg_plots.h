// Evaluation plots as self-contained SVG images (no plotting library needed to make or view
// them): confusion matrix, ROC curve, feature importance, predicted vs actual.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kiln::ml {

// A heat map of counts[actual][predicted] with the counts written in the cells.
std::string ConfusionMatrixSvg(const std::vector<std::string>& labels,
                               const std::vector<std::vector<int64_t>>& counts);

// Horizontal bars of the largest `values` (at most `limit`), largest first.
std::string BarChartSvg(const std::string& title,
                        std::vector<std::pair<std::string, double>> values, size_t limit = 20);

// A line through (x, y) points in [0, 1]^2, with the diagonal; for ROC curves.
std::string RocCurveSvg(const std::vector<std::pair<double, double>>& points, double auc);

// A scatter of (actual, predicted) with the y = x line.
std::string ScatterSvg(const std::string& title, const std::vector<double>& actual,
                       const std::vector<double>& predicted);

// ROC points (false positive rate, true positive rate) of class-1 scores, from (0,0) to (1,1).
std::vector<std::pair<double, double>> RocPoints(const std::vector<size_t>& actual,
                                                 const std::vector<float>& class1_scores);

}  // namespace kiln::ml
