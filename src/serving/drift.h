// DriftMonitor: per feature, the distribution of live requests against the training data's
// (ml/feature_profile.h), summarized by the population stability index (PSI).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ml/feature_profile.h"
#include "ml/preprocess.h"
#include "ml/table.h"

namespace kiln::serving {

// The conventional reading of a PSI value, once there are enough live rows to read it.
enum class DriftLevel : uint8_t {
  kNoData = 0,            // no live rows yet
  kStable = 1,            // PSI < 0.1
  kModerate = 2,          // 0.1 <= PSI <= 0.25
  kMajor = 3,             // PSI > 0.25
  kInsufficientData = 4,  // fewer live rows than the minimum: the PSI means nothing yet
};

// "no_data", "stable", "moderate", "major" or "insufficient_data". Never fails.
const char* DriftLevelName(DriftLevel level);

// The live rows below which drift has no level (a few rows fill bins unevenly, so PSI reads
// "major" on any model): the default of `kiln server --drift-min-rows`.
inline constexpr int64_t kDefaultDriftMinRows = 100;

// The level of `psi` (kStable .. kMajor; never kNoData). Never fails.
DriftLevel ClassifyPsi(double psi);

// Stands in for an empty bin's fraction (training or live) in the PSI, which would otherwise
// be infinite; a bin empty on both sides contributes 0.
inline constexpr double kPsiEpsilon = 1e-4;

// PSI = sum over bins of (live - train) * ln(live / train), each fraction raised to at least
// kPsiEpsilon. `train` and `live` have the same length. Never fails.
double PopulationStabilityIndex(const std::vector<double>& train, const std::vector<double>& live);

// One feature's drift. The bins are the profile's value bins followed by one "missing" bin.
struct FeatureDrift {
  std::string feature;
  std::vector<std::string> bins;  // "(-inf, 1.5]", "(1.5, 3]", "(3, +inf)"; categories,
                                  // "other"; last always "missing"
  std::vector<double> train_fractions;
  std::vector<double> live_fractions;  // all 0 when live_rows == 0
  int64_t live_rows = 0;
  int64_t min_rows = 0;  // the minimum live rows for a level (Report's argument)
  double psi = 0;        // 0 when live_rows == 0; not meaningful below min_rows
  DriftLevel level = DriftLevel::kNoData;
  // Live values a one_hot or label_encode step of the package did not see in training (encoded
  // leniently), counted by ObserveUnseen.
  int64_t unseen_values = 0;

  // Whether the PSI may be read: there are at least min_rows live rows (and one).
  bool has_level() const {
    return level != DriftLevel::kNoData && level != DriftLevel::kInsufficientData;
  }
};

// Counts live feature values into the training profile's bins. Thread-safe: Observe from any
// number of threads; Report any time (while observations run it is a snapshot whose features
// may differ by the rows of in-flight requests; exact once they have returned).
class DriftMonitor {
 public:
  // A monitor for the features of `profile`; it holds them by name.
  explicit DriftMonitor(std::vector<ml::FeatureProfile> profile);
  ~DriftMonitor();
  DriftMonitor(const DriftMonitor&) = delete;
  DriftMonitor& operator=(const DriftMonitor&) = delete;

  // Counts every row of `features` (a request's input; other columns are ignored). Numeric
  // features take float64, int64 and bool columns (NaN is missing; a string column counts as
  // missing); categorical features take any column type, compared by ml::CategoryText, with
  // unseen values in "other". A profiled feature absent from `features` counts every row as
  // missing. Lock-free: a few relaxed atomic adds per feature into one of several stripes.
  void Observe(const ml::Table& features);

  // Counts values the package's encoders did not see in training, per profiled feature they
  // belong to (others, e.g. cross features, are not counted). Thread-safe; one relaxed atomic
  // add per value.
  void ObserveUnseen(const std::vector<ml::UnseenCategory>& unseen);

  // Per profiled feature, in profile order: live counts, fractions and PSI, and a level only
  // once a feature has `min_rows` live rows (kInsufficientData below; kNoData with none).
  // Thread-safe.
  std::vector<FeatureDrift> Report(int64_t min_rows = kDefaultDriftMinRows) const;

  // Zeroes the live counts (e.g. for a new observation window). Thread-safe; rows observed
  // concurrently may land on either side.
  void Reset();

  // The training profile. Immutable.
  const std::vector<ml::FeatureProfile>& profile() const { return profile_; }

 private:
  struct Lookup;
  struct Stripe;

  // Adds `column`'s rows (or `rows` missing rows when null) to feature `f` of `stripe`.
  void CountFeature(size_t f, const ml::Column* column, size_t rows, Stripe& stripe);
  // The live count of bin `bin` of feature `f`, summed over stripes.
  int64_t Count(size_t f, size_t bin) const;

  std::vector<ml::FeatureProfile> profile_;
  std::vector<size_t> offset_;  // first counter of feature f; offset_.back() = total counters
  std::unique_ptr<Lookup> lookup_;
  std::vector<std::unique_ptr<Stripe>> stripes_;
  std::unique_ptr<std::atomic<int64_t>[]> unseen_;  // per feature
};

}  // namespace kiln::serving
