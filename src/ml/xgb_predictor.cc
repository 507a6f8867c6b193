#include "ml/xgb_predictor.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>

#include "ml/features.h"

namespace kiln::ml {
namespace {

constexpr size_t kProbeRows = 256;
constexpr float kProbeTolerance = 1e-6f;

// Rows that reach many leaves: per column, each threshold exactly (ties go right), just
// below it, beyond the extremes, and missing values, mixed by a fixed pseudo-random walk.
std::vector<float> ProbeRows(const XgbForest& forest, size_t cols) {
  std::vector<std::vector<float>> choices(cols);
  for (size_t c = 0; c < cols; ++c) {
    for (float t : forest.Thresholds(c)) {
      choices[c].push_back(t);
      choices[c].push_back(std::nextafter(t, -std::numeric_limits<float>::infinity()));
    }
    choices[c].push_back(-1e30f);
    choices[c].push_back(1e30f);
    choices[c].push_back(std::numeric_limits<float>::quiet_NaN());
  }
  std::vector<float> rows(kProbeRows * cols);
  uint64_t state = 0x9E3779B97F4A7C15ull;
  for (size_t r = 0; r < kProbeRows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      rows[r * cols + c] = choices[c][(state >> 33) % choices[c].size()];
    }
  }
  return rows;
}

// The forest, if it reads the package's columns and agrees with the booster on probe rows.
std::optional<XgbForest> CheckedForest(const std::string& model_path, const XgbBooster& booster,
                                       const ModelPackage& package) {
  const int iteration_end = static_cast<int>(package.PredictRounds());
  Result<XgbForest> forest = XgbForest::Load(model_path, iteration_end);
  if (!forest.ok()) {
    spdlog::debug("{}: XGBoost scores ({})", model_path, forest.status().message());
    return std::nullopt;
  }
  const size_t cols = package.features.size();
  if (forest->columns() > cols) return std::nullopt;
  const std::vector<float> probe = ProbeRows(*forest, cols);
  Result<std::vector<float>> expected =
      booster.PredictDense(probe, kProbeRows, cols, iteration_end);
  std::vector<float> got;
  forest->Predict(probe.data(), kProbeRows, cols, got);
  if (!expected.ok() || expected->size() != got.size()) return std::nullopt;
  for (size_t i = 0; i < got.size(); ++i) {
    if (!(std::fabs(got[i] - (*expected)[i]) <= kProbeTolerance)) {
      spdlog::warn("{}: the native forest disagrees with XGBoost ({} vs {}); XGBoost scores",
                   model_path, got[i], (*expected)[i]);
      return std::nullopt;
    }
  }
  return std::move(*forest);
}

}  // namespace

Result<std::unique_ptr<Predictor>> XgbPredictor::Load(const std::string& dir,
                                                      ModelPackage package) {
  const std::string model_path = (std::filesystem::path(dir) / kPackageModel).string();
  KILN_ASSIGN_OR_RETURN(XgbBooster booster, XgbBooster::Load(model_path));
  // One thread per prediction: callers (the server's I/O threads) already run side by side,
  // and waking an OpenMP team for a few rows costs more than the trees themselves.
  KILN_RETURN_IF_ERROR(booster.SetParam("nthread", "1"));
  KILN_ASSIGN_OR_RETURN(std::optional<FittedPreprocess> chain, LoadPackageChain(dir, package));
  std::optional<XgbForest> forest = CheckedForest(model_path, booster, package);
  return std::unique_ptr<Predictor>(new XgbPredictor(std::move(package), std::move(booster),
                                                     std::move(chain), std::move(forest)));
}

Result<Predictions> XgbPredictor::Predict(const Table& rows) const {
  std::optional<Table> storage;
  Predictions out;
  KILN_ASSIGN_OR_RETURN(const Table* table, ApplyChain(chain_, rows, storage, out.unseen));
  KILN_ASSIGN_OR_RETURN(std::vector<float> matrix, FeatureMatrix(*table, package_.features));
  std::vector<float> raw;
  if (forest_) {
    forest_->Predict(matrix.data(), table->num_rows(), package_.features.size(), raw);
  } else {
    KILN_ASSIGN_OR_RETURN(raw,
                          booster_.PredictDense(matrix, table->num_rows(), package_.features.size(),
                                                static_cast<int>(package_.PredictRounds())));
  }
  if (package_.task == "regression") {
    out.scores = std::move(raw);
    return out;
  }
  out.width = package_.classes.size();
  if (package_.task == "binary") {
    out.scores.reserve(raw.size() * 2);
    for (float p : raw) {
      out.scores.push_back(1.0f - p);
      out.scores.push_back(p);
    }
  } else {
    out.scores = std::move(raw);
  }
  PickClasses(out);
  return out;
}

}  // namespace kiln::ml
