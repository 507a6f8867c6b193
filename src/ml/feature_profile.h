// FeatureProfile: the distribution of each feature in the training data, carried by a model
// package so that serving can compare live traffic against it (drift, serving/drift.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ml/table.h"

namespace kiln::ml {

// How a feature is binned: by value ranges (numeric) or by category.
enum class ProfileKind : uint8_t { kNumeric = 0, kCategorical = 1 };

// "numeric" or "categorical". Never fails.
const char* ProfileKindName(ProfileKind kind);

// The training distribution of one feature. A value type.
//
// Numeric: `edges` are ascending cut points c_0 < ... < c_{m-1}; bin 0 is (-inf, c_0], bin i is
// (c_{i-1}, c_i], bin m is (c_{m-1}, +inf): m + 1 bins.
// Categorical: bin i is `categories[i]`; one more, last bin, "other", holds every other value
// (the training values beyond the kept categories, and at serving time unseen ones).
// `fractions` has one entry per bin: the share of all `rows` training rows whose value falls
// in that bin; missing values are not in any bin but in `missing_fraction`, so the fractions
// and missing_fraction sum to 1 (all 0 when rows == 0).
struct FeatureProfile {
  std::string name;
  ProfileKind kind = ProfileKind::kNumeric;
  std::vector<double> edges;            // numeric only
  std::vector<std::string> categories;  // categorical only, most frequent first
  std::vector<double> fractions;
  double missing_fraction = 0;
  int64_t rows = 0;

  // Number of value bins: edges.size() + 1 (numeric) or categories.size() + 1 (categorical).
  size_t NumBins() const;
  // The numeric bin of `value` (a present, non-NaN value). Numeric profiles only.
  size_t NumericBin(double value) const;
};

// Limits of ProfileFeatures.
inline constexpr size_t kProfileMaxNumericBins = 10;  // deciles
inline constexpr size_t kProfileMaxCategories = 50;   // the rest go to "other"
// An int64 column with at most this many distinct values is profiled as categorical.
inline constexpr size_t kProfileMaxIntCategories = 20;
// Quantile edges are computed on at most this many present values, drawn uniformly (with
// replacement) by a fixed-seed generator, so a profile is reproducible; the bin fractions are
// then counted exactly over all rows.
inline constexpr size_t kProfileQuantileSample = 100000;

// Profiles the named columns of `table`, in the order given. float64 columns (NaN counts as
// missing) and int64 columns with more than kProfileMaxIntCategories distinct values are
// numeric: up to 10 bins cut at the training deciles (deduplicated; a cut equal to the maximum
// is dropped, so the last bin is never empty). bool (categories "false"/"true"), string and
// low-cardinality int64 columns (decimal text) are categorical: the kProfileMaxCategories most
// frequent values (ties by value) plus "other". Single-threaded: a pass or two per column plus
// quantile selection on the sample, about 20 ms of CPU per 1M-row column (1M rows x 50
// columns: about 1 s; bench/serving_metrics_bench.cc). Thread-safe (reads only).
// Errors: kInvalidArgument naming a column `table` lacks or a name given twice.
Result<std::vector<FeatureProfile>> ProfileFeatures(const Table& table,
                                                    const std::vector<std::string>& features);

// The text a categorical profile uses for a value: bools "false"/"true", int64 in decimal,
// strings as they are; a float64 holding an integer prints as that integer ("3"), other
// floats in shortest round-trip form. Never fails.
std::string CategoryText(const Column& column, size_t row);

// JSON form of a profile: an array of {"name", "kind", "rows", "edges" | "categories",
// "fractions", "missing"}. Never fails.
nlohmann::json ProfileToJson(const std::vector<FeatureProfile>& profile);

// Parses ProfileToJson's form back, checking it: kinds, ascending finite edges, unique
// categories and names, one fraction per bin in [0, 1] summing with "missing" to 1 (when
// rows > 0). Errors: kInvalidArgument naming the field, e.g. "feature profile: [2].edges: ...".
Result<std::vector<FeatureProfile>> ProfileFromJson(const nlohmann::json& json);

}  // namespace kiln::ml
