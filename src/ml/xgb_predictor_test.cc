#include "ml/xgb_predictor.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ml/model_package.h"
#include "ml/table.h"
#include "ml/xgb_handles.h"

namespace kiln::ml {
namespace {

namespace fs = std::filesystem;

constexpr size_t kRows = 200, kCols = 3;
const std::vector<std::string> kFeatures = {"age", "income", "score"};

std::vector<float> Values(uint64_t seed) {
  std::vector<float> out;
  for (size_t i = 0; i < kRows * kCols; ++i) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    out.push_back(static_cast<float>((seed >> 33) % 1000) / 100.0f);
  }
  return out;
}

Table AsTable(const std::vector<float>& values) {
  Table table;
  for (size_t c = 0; c < kCols; ++c) {
    std::vector<double> column;
    for (size_t r = 0; r < kRows; ++r) column.push_back(values[r * kCols + c]);
    EXPECT_TRUE(table.AddColumn(Column::Float64(kFeatures[c], std::move(column))).ok());
  }
  return table;
}

// Equal within the tolerance the predictor's own forest is held to against XGBoost.
void ExpectNear(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) ASSERT_NEAR(got[i], want[i], 1e-5) << "row " << i;
}

// Whether some prediction differs by more than a rounding error.
bool Differ(const std::vector<float>& a, const std::vector<float>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (std::fabs(a[i] - b[i]) > 1e-3) return true;
  }
  return false;
}

class XgbPredictorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/kiln_xgb_predictor_" + std::to_string(::getpid());
    fs::create_directories(dir_);
    const std::vector<float> x = Values(7);
    std::vector<float> y;
    for (size_t r = 0; r < kRows; ++r) y.push_back(x[r * kCols] * 2 + x[r * kCols + 1]);
    Result<XgbMatrix> matrix = XgbMatrix::Create(x, kRows, kCols, 1);
    ASSERT_TRUE(matrix.ok());
    ASSERT_TRUE(matrix->SetLabels(y).ok());
    Result<XgbBooster> booster = XgbBooster::Create({&*matrix});
    ASSERT_TRUE(booster.ok());
    ASSERT_TRUE(booster->SetParam("nthread", "1").ok());
    for (int i = 0; i < 12; ++i) ASSERT_TRUE(booster->UpdateOneIter(i, *matrix).ok());
    booster_ = std::make_unique<XgbBooster>(std::move(*booster));
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Scores the test rows through a package holding `model` with the given manifest fields.
  std::vector<float> Score(const XgbBooster& model, int64_t best_iteration, int64_t model_rounds) {
    EXPECT_TRUE(model.Save(dir_ + "/" + kPackageModel).ok());
    ModelPackage package;
    package.task = "regression";
    package.label = "y";
    package.features = kFeatures;
    package.best_iteration = best_iteration;
    package.model_rounds = model_rounds;
    EXPECT_TRUE(WritePackageManifest(package, dir_).ok());
    Result<ModelPackage> read = ReadPackageManifest(dir_);
    EXPECT_TRUE(read.ok());
    Result<std::unique_ptr<Predictor>> predictor = XgbPredictor::Load(dir_, *read);
    EXPECT_TRUE(predictor.ok()) << predictor.status().ToString();
    if (!predictor.ok()) return {};
    Result<Predictions> p = (*predictor)->Predict(AsTable(Values(99)));
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? p->scores : std::vector<float>{};
  }

  std::vector<float> Expected(const XgbBooster& model, int iteration_end) {
    Result<std::vector<float>> out = model.PredictDense(Values(99), kRows, kCols, iteration_end);
    EXPECT_TRUE(out.ok());
    return out.ok() ? *out : std::vector<float>{};
  }

  std::string dir_;
  std::unique_ptr<XgbBooster> booster_;
};

TEST_F(XgbPredictorTest, OldPackagesScoreTheirBestRoundsOfTheFullModel) {
  // Written before Kiln sliced models: every trained round in model.json, no model_rounds.
  const std::vector<float> five = Expected(*booster_, 5);
  ExpectNear(Score(*booster_, 5, 0), five);
  EXPECT_TRUE(Differ(five, Expected(*booster_, 0)));
}

TEST_F(XgbPredictorTest, SlicedPackagesScoreEveryTreeTheyHold) {
  Result<XgbBooster> sliced = booster_->Slice(5);
  ASSERT_TRUE(sliced.ok()) << sliced.status().ToString();
  Result<int> rounds = sliced->Rounds();
  ASSERT_TRUE(rounds.ok());
  EXPECT_EQ(*rounds, 5);
  const std::vector<float> five = Expected(*booster_, 5);
  EXPECT_EQ(Expected(*sliced, 0), five);  // the slice is the first five rounds, exactly
  ExpectNear(Score(*sliced, 5, 5), five);
  // model_rounds says the file is the model: best_iteration no longer cuts it
  ExpectNear(Score(*booster_, 5, 12), Expected(*booster_, 0));
}

TEST(ModelPackageTest, ImportanceTakesTheFeatureNames) {
  const auto named = NameImportance(
      {{"f2", 3.0}, {"f0", 1.5}, {"f9", 1.0}, {"fx", 0.5}, {"income", 0.1}}, kFeatures);
  EXPECT_EQ(named, (std::vector<std::pair<std::string, double>>{
                       {"score", 3.0}, {"age", 1.5}, {"f9", 1.0}, {"fx", 0.5}, {"income", 0.1}}));
}

}  // namespace
}  // namespace kiln::ml
