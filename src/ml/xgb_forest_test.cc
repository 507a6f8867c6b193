#include "ml/xgb_forest.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "ml/xgb_handles.h"

namespace kiln::ml {
namespace {

constexpr size_t kCols = 5;

// Pseudo-random rows with some missing values, and labels from a rule XGBoost can learn.
struct Data {
  std::vector<float> values;
  std::vector<float> labels;
  size_t rows = 0;
};

Data MakeData(size_t rows, int classes, bool regression, uint64_t seed) {
  Data d;
  d.rows = rows;
  uint64_t state = seed;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<float>((state >> 33) % 10000) / 1000.0f;
  };
  for (size_t r = 0; r < rows; ++r) {
    float sum = 0;
    for (size_t c = 0; c < kCols; ++c) {
      float v = next();
      sum += v * static_cast<float>(c + 1);
      d.values.push_back(v < 0.6f ? std::numeric_limits<float>::quiet_NaN() : v);
    }
    d.labels.push_back(regression ? sum : static_cast<float>(static_cast<int>(sum) % classes));
  }
  return d;
}

// Trains `rounds` rounds with `params`, saves the model and checks that the forest loaded from
// it predicts what XGBoost does on fresh rows, for all trees and for the first few rounds.
void ExpectSameAsXgboost(const std::vector<std::pair<std::string, std::string>>& params,
                         int classes, bool regression) {
  Data train = MakeData(300, classes, regression, 7);
  Result<XgbMatrix> matrix = XgbMatrix::Create(train.values, train.rows, kCols, 1);
  ASSERT_TRUE(matrix.ok()) << matrix.status().ToString();
  ASSERT_TRUE(matrix->SetLabels(train.labels).ok());
  Result<XgbBooster> booster = XgbBooster::Create({&*matrix});
  ASSERT_TRUE(booster.ok()) << booster.status().ToString();
  ASSERT_TRUE(booster->SetParam("nthread", "1").ok());
  for (const auto& [name, value] : params) ASSERT_TRUE(booster->SetParam(name, value).ok());
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(booster->UpdateOneIter(i, *matrix).ok());
  const std::string path =
      ::testing::TempDir() + "/kiln_xgb_forest_" + std::to_string(::getpid()) + ".json";
  ASSERT_TRUE(booster->Save(path).ok());

  Data test = MakeData(500, classes, regression, 99);
  for (int iteration_end : {0, 5}) {
    Result<XgbForest> forest = XgbForest::Load(path, iteration_end);
    ASSERT_TRUE(forest.ok()) << forest.status().ToString();
    Result<std::vector<float>> expected =
        booster->PredictDense(test.values, test.rows, kCols, iteration_end);
    ASSERT_TRUE(expected.ok()) << expected.status().ToString();
    std::vector<float> got;
    forest->Predict(test.values.data(), test.rows, kCols, got);
    ASSERT_EQ(got.size(), expected->size());
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_NEAR(got[i], (*expected)[i], 1e-6) << "output " << i << ", end " << iteration_end;
    }
  }
  ::unlink(path.c_str());
}

TEST(XgbForestTest, MulticlassMatchesXgboost) {
  ExpectSameAsXgboost({{"objective", "multi:softprob"}, {"num_class", "3"}, {"max_depth", "4"}}, 3,
                      false);
}

TEST(XgbForestTest, BinaryMatchesXgboost) {
  ExpectSameAsXgboost({{"objective", "binary:logistic"}, {"base_score", "0.3"}}, 2, false);
}

TEST(XgbForestTest, RegressionMatchesXgboost) {
  ExpectSameAsXgboost({{"objective", "reg:squarederror"}, {"max_depth", "5"}}, 1, true);
}

TEST(XgbForestTest, RefusesObjectivesItDoesNotCover) {
  Data train = MakeData(100, 3, false, 3);
  Result<XgbMatrix> matrix = XgbMatrix::Create(train.values, train.rows, kCols, 1);
  ASSERT_TRUE(matrix.ok());
  ASSERT_TRUE(matrix->SetLabels(train.labels).ok());
  Result<XgbBooster> booster = XgbBooster::Create({&*matrix});
  ASSERT_TRUE(booster.ok());
  ASSERT_TRUE(booster->SetParam("objective", "multi:softmax").ok());
  ASSERT_TRUE(booster->SetParam("num_class", "3").ok());
  ASSERT_TRUE(booster->UpdateOneIter(0, *matrix).ok());
  const std::string path =
      ::testing::TempDir() + "/kiln_xgb_forest_softmax_" + std::to_string(::getpid()) + ".json";
  ASSERT_TRUE(booster->Save(path).ok());
  Result<XgbForest> forest = XgbForest::Load(path, 0);
  EXPECT_EQ(forest.status().code(), StatusCode::kFailedPrecondition);
  ::unlink(path.c_str());
}

}  // namespace
}  // namespace kiln::ml
