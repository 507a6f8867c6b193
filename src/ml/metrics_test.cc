#include "ml/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ml/svg_plots.h"

namespace kiln::ml {
namespace {

TEST(MetricsTest, BinaryClassifierMatchesHandComputedValues) {
  // actual 0 0 1 1; scores of class 1: 0.1 0.6 0.4 0.8 -> predicted 0 1 0 1
  std::vector<size_t> actual = {0, 0, 1, 1}, predicted = {0, 1, 0, 1};
  std::vector<float> p = {0.9f, 0.1f, 0.4f, 0.6f, 0.6f, 0.4f, 0.2f, 0.8f};
  auto m = ClassifierMetrics(actual, predicted, p, 2);
  EXPECT_DOUBLE_EQ(m["accuracy"], 0.5);
  EXPECT_DOUBLE_EQ(m["precision"], 0.5);  // of class 1: 1 of 2 predicted
  EXPECT_DOUBLE_EQ(m["recall"], 0.5);
  EXPECT_DOUBLE_EQ(m["f1"], 0.5);
  EXPECT_DOUBLE_EQ(m["roc_auc"], 0.75);  // 3 of 4 positive/negative pairs ordered right
  const double expected_loss = -(std::log(double(0.9f)) + std::log(double(0.4f)) +
                                 std::log(double(0.4f)) + std::log(double(0.8f))) /
                               4;
  EXPECT_NEAR(m["log_loss"], expected_loss, 1e-7);  // rows are renormalized in double
}

TEST(MetricsTest, RocAucSharesTiedRanks) {
  std::vector<size_t> actual = {0, 1};
  std::vector<float> p = {0.5f, 0.5f, 0.5f, 0.5f};
  EXPECT_DOUBLE_EQ(ClassifierMetrics(actual, {0, 0}, p, 2)["roc_auc"], 0.5);
}

TEST(MetricsTest, MulticlassIsMacroAveragedWithConfusionMatrix) {
  std::vector<size_t> actual = {0, 1, 2, 2}, predicted = {0, 2, 2, 2};
  std::vector<float> p(12, 1.0f / 3);
  auto m = ClassifierMetrics(actual, predicted, p, 3);
  EXPECT_DOUBLE_EQ(m["accuracy"], 0.75);
  // precision per class 1, 0, 2/3; recall 1, 0, 1; f1 1, 0, 0.8
  EXPECT_DOUBLE_EQ(m["precision"], (1 + 0 + 2.0 / 3) / 3);
  EXPECT_DOUBLE_EQ(m["recall"], 2.0 / 3);
  EXPECT_NEAR(m["f1"], 1.8 / 3, 1e-12);
  EXPECT_NEAR(m["log_loss"], std::log(3.0), 1e-6);
  EXPECT_EQ(m.count("roc_auc"), 0u);
  auto c = ConfusionMatrix(actual, predicted, 3);
  EXPECT_EQ(c, (std::vector<std::vector<int64_t>>{{1, 0, 0}, {0, 0, 1}, {0, 0, 2}}));
}

TEST(MetricsTest, Regression) {
  auto m = RegressionMetrics({1, 2, 3}, {1, 2, 5});
  EXPECT_DOUBLE_EQ(m["rmse"], std::sqrt(4.0 / 3));
  EXPECT_DOUBLE_EQ(m["mae"], 2.0 / 3);
  EXPECT_DOUBLE_EQ(m["r2"], 1 - 4.0 / 2);
  EXPECT_DOUBLE_EQ(RegressionMetrics({2, 2}, {1, 3})["r2"], 0);
}

}  // namespace
}  // namespace kiln::ml

namespace kiln::ml {
namespace {

TEST(SvgPlotsTest, RocPointsAndEscapedLabels) {
  // scores of class 1: rows 0..3 with actual 0 0 1 1
  auto points = RocPoints({0, 0, 1, 1}, {0.1f, 0.6f, 0.4f, 0.8f});
  const std::vector<std::pair<double, double>> expected = {
      {0, 0}, {0, 0.5}, {0.5, 0.5}, {0.5, 1}, {1, 1}};
  EXPECT_EQ(points, expected);
  const std::string svg = ConfusionMatrixSvg({"a<b", "c"}, {{3, 1}, {0, 2}});
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("a&lt;b"), std::string::npos);
  EXPECT_EQ(svg.find("a<b"), std::string::npos);
  EXPECT_NE(svg.find(">3</text>"), std::string::npos);
  const std::string bars = BarChartSvg("importance", {{"x", 1.0}, {"y", 3.0}}, 1);
  EXPECT_NE(bars.find(">y</text>"), std::string::npos);  // the largest is kept
  EXPECT_EQ(bars.find(">x</text>"), std::string::npos);
}

}  // namespace
}  // namespace kiln::ml
