#include "ml/linear_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

namespace kiln::ml {
namespace {

// rows x cols standard normals from a fixed seed.
DenseMatrix Gaussian(size_t rows, size_t cols, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> normal;
  DenseMatrix m{rows, cols, std::vector<double>(rows * cols)};
  for (double& v : m.values) v = normal(gen);
  return m;
}

// The penalized log loss's gradient at `model`, computed from its scores: zero at the optimum.
std::vector<double> LogisticGradient(const LinearModel& model, const DenseMatrix& x,
                                     const std::vector<size_t>& labels) {
  const std::vector<double> p = LinearScores(model, x);
  const size_t k = model.outputs();
  const size_t width = model.link == LinearLink::kLogistic ? 2 : k;
  std::vector<double> g(k * (x.cols + 1), 0.0);
  for (size_t r = 0; r < x.rows; ++r) {
    for (size_t o = 0; o < k; ++o) {
      const size_t cls = model.link == LinearLink::kLogistic ? 1 : o;
      const double residual = p[r * width + cls] - (labels[r] == cls ? 1.0 : 0.0);
      for (size_t c = 0; c < x.cols; ++c)
        g[o * (x.cols + 1) + c] += residual * x.values[r * x.cols + c];
      g[o * (x.cols + 1) + x.cols] += residual;
    }
  }
  for (size_t o = 0; o < k; ++o) {
    for (size_t c = 0; c < x.cols; ++c) g[o * (x.cols + 1) + c] += model.l2 * model.coef[o][c];
  }
  return g;
}

TEST(LinearModelTest, RidgeWithoutPenaltyRecoversExactWeights) {
  DenseMatrix x = Gaussian(50, 3, 1);
  std::vector<double> y;
  for (size_t r = 0; r < x.rows; ++r) {
    y.push_back(2.0 * x.values[r * 3] - 1.5 * x.values[r * 3 + 1] + 0.25 * x.values[r * 3 + 2] + 4);
  }
  Result<LinearModel> m = FitRidge(x, y, 0.0);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_NEAR(m->coef[0][0], 2.0, 1e-10);
  EXPECT_NEAR(m->coef[0][1], -1.5, 1e-10);
  EXPECT_NEAR(m->coef[0][2], 0.25, 1e-10);
  EXPECT_NEAR(m->intercept[0], 4.0, 1e-10);
  EXPECT_NEAR(LinearScores(*m, x)[7], y[7], 1e-9);
}

TEST(LinearModelTest, RidgeShrinksLikeTheOneFeatureClosedForm) {
  // One feature: w = sum (x - mean x)(y - mean y) / (sum (x - mean x)^2 + l2).
  DenseMatrix x{4, 1, {1, 2, 3, 6}};
  std::vector<double> y = {2, 3, 7, 8};
  Result<LinearModel> m = FitRidge(x, y, 3.0);
  ASSERT_TRUE(m.ok());
  // mean x = 3, mean y = 5; sxy = (-2)(-3)+(-1)(-2)+0+3*3 = 17; sxx = 4+1+0+9 = 14.
  EXPECT_NEAR(m->coef[0][0], 17.0 / 17.0, 1e-12);
  EXPECT_NEAR(m->intercept[0], 5.0 - 3.0 * (17.0 / 17.0), 1e-12);
}

TEST(LinearModelTest, RidgeRefusesAConstantColumnWithoutPenalty) {
  DenseMatrix x{3, 2, {1, 5, 2, 5, 3, 5}};
  Result<LinearModel> m = FitRidge(x, {1, 2, 3}, 0.0);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("set l2 > 0"), std::string::npos);
  EXPECT_TRUE(FitRidge(x, {1, 2, 3}, 0.1).ok());
}

TEST(LinearModelTest, BinaryLogisticReachesTheOptimum) {
  DenseMatrix x = Gaussian(200, 4, 2);
  std::vector<size_t> labels;
  std::mt19937 gen(3);
  std::uniform_real_distribution<double> u;
  for (size_t r = 0; r < x.rows; ++r) {
    const double z = 1.5 * x.values[r * 4] - x.values[r * 4 + 2] + 0.3;
    labels.push_back(u(gen) < 1 / (1 + std::exp(-z)) ? 1 : 0);
  }
  Result<LinearModel> m = FitLogistic(x, labels, 2, {0.5, 100, 1e-12});
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->converged);
  EXPECT_EQ(m->link, LinearLink::kLogistic);
  for (double g : LogisticGradient(*m, x, labels)) EXPECT_NEAR(g, 0.0, 1e-7);
  EXPECT_GT(m->coef[0][0], 0.5);  // the signal it was drawn from
  EXPECT_LT(m->coef[0][2], -0.3);
}

TEST(LinearModelTest, MultinomialLogisticReachesTheOptimumWithCenteredIntercepts) {
  DenseMatrix x = Gaussian(150, 2, 4);
  std::vector<size_t> labels;
  for (size_t r = 0; r < x.rows; ++r) {
    labels.push_back(x.values[r * 2] > 0.5 ? 2 : x.values[r * 2 + 1] > 0 ? 1 : 0);
  }
  Result<LinearModel> m = FitLogistic(x, labels, 3, {1.0, 100, 1e-12});
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->converged);
  ASSERT_EQ(m->outputs(), 3u);
  for (double g : LogisticGradient(*m, x, labels)) EXPECT_NEAR(g, 0.0, 1e-7);
  EXPECT_NEAR(m->intercept[0] + m->intercept[1] + m->intercept[2], 0.0, 1e-12);
  const std::vector<double> p = LinearScores(*m, x);
  EXPECT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-12);
}

TEST(LinearModelTest, LogisticRefusesTooManyParameters) {
  DenseMatrix x{1, 1000, std::vector<double>(1000)};
  Result<LinearModel> m = FitLogistic(x, {0}, 3, {});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("3 classes x 1001 weights"), std::string::npos);
}

TEST(LinearModelTest, JsonRoundTripsAndNamesBadFields) {
  LinearModel m;
  m.link = LinearLink::kSoftmax;
  m.coef = {{1, 2}, {3, 4}};
  m.intercept = {0.5, -0.5};
  m.l2 = 2;
  Result<LinearModel> back = LinearModelFromJson(LinearModelToJson(m));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->coef, m.coef);
  EXPECT_EQ(back->intercept, m.intercept);
  nlohmann::json bad = LinearModelToJson(m);
  bad["link"] = "cubic";
  EXPECT_NE(LinearModelFromJson(bad).status().message().find("'link'"), std::string::npos);
  bad = LinearModelToJson(m);
  bad["coef"] = {{1, 2}, {3}};
  EXPECT_FALSE(LinearModelFromJson(bad).ok());
  bad = LinearModelToJson(m);
  bad["intercept"] = {1};
  EXPECT_NE(LinearModelFromJson(bad).status().message().find("'intercept'"), std::string::npos);
}

TEST(LinearModelTest, DesignMatrixNamesMissingValuesAndStrings) {
  Table t;
  ASSERT_TRUE(t.AddColumn(Column::Float64("a", {1, 2, 3}, {1, 1, 0})).ok());
  ASSERT_TRUE(t.AddColumn(Column::Int64("b", {4, 5, 6})).ok());
  ASSERT_TRUE(t.AddColumn(Column::String("s", {"x", "y", "z"})).ok());
  Result<DenseMatrix> m = DesignMatrix(t, {"b"});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->values, (std::vector<double>{4, 5, 6}));
  m = DesignMatrix(t, {"b", "a"});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("column 'a' is missing a value at row 2"), std::string::npos);
  EXPECT_NE(DesignMatrix(t, {"s"}).status().message().find("column 's' holds strings"),
            std::string::npos);
  EXPECT_NE(DesignMatrix(t, {"q"}).status().message().find("no column 'q'"), std::string::npos);
}

}  // namespace
}  // namespace kiln::ml
