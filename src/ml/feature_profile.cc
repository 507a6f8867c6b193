#include "ml/feature_profile.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace kiln::ml {
namespace {

// True when the value in `column` at `row` is present (and, for floats, not NaN).
bool Present(const Column& column, size_t row) {
  if (!column.IsValid(row)) return false;
  return column.type() != ColumnType::kFloat64 || !std::isnan(column.doubles()[row]);
}

double NumericValue(const Column& column, size_t row) {
  return column.type() == ColumnType::kFloat64 ? column.doubles()[row]
                                               : static_cast<double>(column.ints()[row]);
}

// Whether an int64 column has few enough distinct values to be categorical.
bool LowCardinalityInts(const Column& column) {
  std::unordered_set<int64_t> seen;
  for (size_t i = 0; i < column.size(); ++i) {
    if (!column.IsValid(i)) continue;
    seen.insert(column.ints()[i]);
    if (seen.size() > kProfileMaxIntCategories) return false;
  }
  return true;
}

// The present values quantiles are taken on: all of them, or a fixed-seed uniform sample.
std::vector<double> QuantileSample(const Column& column) {
  std::vector<size_t> present;
  present.reserve(column.size());
  for (size_t i = 0; i < column.size(); ++i) {
    if (Present(column, i)) present.push_back(i);
  }
  std::vector<double> values;
  if (present.size() <= kProfileQuantileSample) {
    values.reserve(present.size());
    for (size_t i : present) values.push_back(NumericValue(column, i));
    return values;
  }
  std::mt19937_64 rng(0x6b696c6e);  // fixed: profiles are reproducible
  std::uniform_int_distribution<size_t> pick(0, present.size() - 1);
  values.reserve(kProfileQuantileSample);
  for (size_t k = 0; k < kProfileQuantileSample; ++k) {
    values.push_back(NumericValue(column, present[pick(rng)]));
  }
  return values;
}

// Decile cuts: the k-th is the smallest value with at least k/10 of the values at or below it.
std::vector<double> DecileEdges(std::vector<double> values) {
  std::vector<double> edges;
  if (values.empty()) return edges;
  const size_t n = values.size();
  auto from = values.begin();
  for (size_t k = 1; k < kProfileMaxNumericBins; ++k) {
    const size_t idx = (k * n + kProfileMaxNumericBins - 1) / kProfileMaxNumericBins - 1;
    auto at = values.begin() + static_cast<ptrdiff_t>(idx);  // idx never decreases
    std::nth_element(from, at, values.end());
    if (edges.empty() || *at > edges.back()) edges.push_back(*at);
    from = at;
  }
  const double max = *std::max_element(from, values.end());
  if (!edges.empty() && edges.back() >= max) edges.pop_back();
  return edges;
}

FeatureProfile NumericProfile(const Column& column) {
  FeatureProfile p;
  p.kind = ProfileKind::kNumeric;
  p.edges = DecileEdges(QuantileSample(column));
  std::vector<int64_t> counts(p.NumBins(), 0);
  int64_t missing = 0;
  for (size_t i = 0; i < column.size(); ++i) {
    if (!Present(column, i)) {
      ++missing;
    } else {
      ++counts[p.NumericBin(NumericValue(column, i))];
    }
  }
  p.rows = static_cast<int64_t>(column.size());
  const double rows = p.rows > 0 ? static_cast<double>(p.rows) : 1.0;
  for (int64_t c : counts) p.fractions.push_back(static_cast<double>(c) / rows);
  p.missing_fraction = static_cast<double>(missing) / rows;
  return p;
}

// Counts the present values by a native key (one hash per row, no strings built per row),
// then names each key by its category text. Adds absent values to `missing`.
template <typename Key, typename KeyOf, typename TextOf>
std::vector<std::pair<std::string, int64_t>> CountBy(const Column& column, KeyOf key_of,
                                                     TextOf text_of, int64_t& missing) {
  std::unordered_map<Key, int64_t> counts;
  for (size_t i = 0; i < column.size(); ++i) {
    if (!Present(column, i)) {
      ++missing;
    } else {
      ++counts[key_of(i)];
    }
  }
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& [key, n] : counts) out.emplace_back(text_of(key), n);
  return out;
}

std::vector<std::pair<std::string, int64_t>> CountCategories(const Column& c, int64_t& missing) {
  switch (c.type()) {
    case ColumnType::kString:
      return CountBy<std::string_view>(
          c, [&](size_t i) { return std::string_view(c.strings()[i]); },
          [](std::string_view s) { return std::string(s); }, missing);
    case ColumnType::kInt64:
      return CountBy<int64_t>(
          c, [&](size_t i) { return c.ints()[i]; }, [](int64_t v) { return std::to_string(v); },
          missing);
    case ColumnType::kBool:
      return CountBy<uint8_t>(
          c, [&](size_t i) { return c.bools()[i]; },
          [](uint8_t b) { return std::string(b ? "true" : "false"); }, missing);
    case ColumnType::kFloat64:
      break;
  }
  return CountBy<std::string>(
      c, [&](size_t i) { return CategoryText(c, i); }, [](const std::string& s) { return s; },
      missing);
}

FeatureProfile CategoricalProfile(const Column& column) {
  int64_t missing = 0;
  std::vector<std::pair<std::string, int64_t>> sorted = CountCategories(column, missing);
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  FeatureProfile p;
  p.kind = ProfileKind::kCategorical;
  p.rows = static_cast<int64_t>(column.size());
  const double rows = p.rows > 0 ? static_cast<double>(p.rows) : 1.0;
  int64_t other = 0;
  for (size_t k = 0; k < sorted.size(); ++k) {
    if (k >= kProfileMaxCategories) {
      other += sorted[k].second;
      continue;
    }
    p.categories.push_back(sorted[k].first);
    p.fractions.push_back(static_cast<double>(sorted[k].second) / rows);
  }
  p.fractions.push_back(static_cast<double>(other) / rows);
  p.missing_fraction = static_cast<double>(missing) / rows;
  return p;
}

}  // namespace

const char* ProfileKindName(ProfileKind kind) {
  return kind == ProfileKind::kNumeric ? "numeric" : "categorical";
}

size_t FeatureProfile::NumBins() const {
  return (kind == ProfileKind::kNumeric ? edges.size() : categories.size()) + 1;
}

size_t FeatureProfile::NumericBin(double value) const {
  // At most 9 edges: a linear scan beats a binary search.
  size_t bin = 0;
  while (bin < edges.size() && value > edges[bin]) ++bin;
  return bin;
}

std::string CategoryText(const Column& column, size_t row) {
  switch (column.type()) {
    case ColumnType::kBool:
      return column.bools()[row] ? "true" : "false";
    case ColumnType::kInt64:
      return std::to_string(column.ints()[row]);
    case ColumnType::kString:
      return column.strings()[row];
    case ColumnType::kFloat64:
      break;
  }
  const double v = column.doubles()[row];
  if (std::trunc(v) == v && std::fabs(v) < 9.0e15) {
    return std::to_string(static_cast<int64_t>(v));
  }
  return fmt::format("{}", v);
}

Result<std::vector<FeatureProfile>> ProfileFeatures(const Table& table,
                                                    const std::vector<std::string>& features) {
  std::set<std::string> seen;
  std::vector<FeatureProfile> profile;
  profile.reserve(features.size());
  for (const auto& name : features) {
    if (!seen.insert(name).second) {
      return InvalidArgument("feature profile: column '" + name + "' is listed twice");
    }
    auto column = table.Find(name);
    if (!column.ok()) return InvalidArgument("feature profile: " + column.status().message());
    const Column& c = **column;
    const bool numeric = c.type() == ColumnType::kFloat64 ||
                         (c.type() == ColumnType::kInt64 && !LowCardinalityInts(c));
    profile.push_back(numeric ? NumericProfile(c) : CategoricalProfile(c));
    profile.back().name = name;
  }
  return profile;
}

}  // namespace kiln::ml
