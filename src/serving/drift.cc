#include "serving/drift.h"

#include <charconv>
#include <cmath>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace kiln::serving {
namespace {

// Stripes spread concurrent requests over separate counter arrays so threads rarely contend
// on one cache line; Report sums them.
constexpr size_t kStripes = 8;
// Tail padding per stripe (in counters): 128 bytes, so two stripes never share a cache line.
constexpr size_t kStripePad = 16;

size_t ThisThreadStripe() {
  static std::atomic<size_t> next{0};
  thread_local const size_t stripe = next.fetch_add(1, std::memory_order_relaxed) % kStripes;
  return stripe;
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Position of the column named `name`: `hint` when it matches, else a scan; npos when absent.
size_t FindColumn(const ml::Table& table, const std::string& name, size_t hint) {
  if (hint < table.num_columns() && table.column(hint).name() == name) return hint;
  for (size_t i = 0; i < table.num_columns(); ++i) {
    if (table.column(i).name() == name) return i;
  }
  return std::string::npos;
}

using CategoryMap = std::unordered_map<std::string, size_t, StringHash, std::equal_to<>>;

// The bin of row `i` of `c` under numeric profile `p`; p.NumBins() is the missing bin.
size_t NumericRowBin(const ml::FeatureProfile& p, const ml::Column& c, size_t i) {
  const size_t missing = p.NumBins();
  if (!c.IsValid(i)) return missing;
  switch (c.type()) {
    case ml::ColumnType::kFloat64:
      return std::isnan(c.doubles()[i]) ? missing : p.NumericBin(c.doubles()[i]);
    case ml::ColumnType::kInt64:
      return p.NumericBin(static_cast<double>(c.ints()[i]));
    case ml::ColumnType::kBool:
      return p.NumericBin(c.bools()[i] ? 1.0 : 0.0);
    case ml::ColumnType::kString:
      break;
  }
  return missing;
}

// The bin of row `i` of `c` under categorical profile `p` (with its `map`): the category, else
// "other" (p.categories.size()), or missing (one past it).
size_t CategoryRowBin(const ml::FeatureProfile& p, const CategoryMap& map, const ml::Column& c,
                      size_t i) {
  const size_t other = p.categories.size();
  if (!c.IsValid(i)) return other + 1;
  char buf[24];
  std::string owned;
  std::string_view text;
  switch (c.type()) {
    case ml::ColumnType::kString:
      text = c.strings()[i];
      break;
    case ml::ColumnType::kBool:
      text = c.bools()[i] ? "true" : "false";
      break;
    case ml::ColumnType::kInt64: {
      auto end = std::to_chars(buf, buf + sizeof(buf), c.ints()[i]).ptr;
      text = std::string_view(buf, static_cast<size_t>(end - buf));
      break;
    }
    case ml::ColumnType::kFloat64:
      if (std::isnan(c.doubles()[i])) return other + 1;
      owned = ml::CategoryText(c, i);  // rare: floats for a categorical feature
      text = owned;
      break;
  }
  auto it = map.find(text);
  return it == map.end() ? other : it->second;
}

}  // namespace

struct DriftMonitor::Lookup {
  // Per feature: category text -> bin (empty for numeric features).
  std::vector<CategoryMap> categories;
};

struct DriftMonitor::Stripe {
  explicit Stripe(size_t n) : counts(n + kStripePad) {}
  std::vector<std::atomic<int64_t>> counts;
};

const char* DriftLevelName(DriftLevel level) {
  switch (level) {
    case DriftLevel::kNoData:
      return "no_data";
    case DriftLevel::kStable:
      return "stable";
    case DriftLevel::kModerate:
      return "moderate";
    case DriftLevel::kMajor:
      return "major";
    case DriftLevel::kInsufficientData:
      return "insufficient_data";
  }
  return "unknown";
}

DriftLevel ClassifyPsi(double psi) {
  if (psi < 0.1) return DriftLevel::kStable;
  return psi <= 0.25 ? DriftLevel::kModerate : DriftLevel::kMajor;
}

double PopulationStabilityIndex(const std::vector<double>& train, const std::vector<double>& live) {
  double psi = 0;
  for (size_t i = 0; i < train.size() && i < live.size(); ++i) {
    const double t = std::max(train[i], kPsiEpsilon);
    const double l = std::max(live[i], kPsiEpsilon);
    psi += (l - t) * std::log(l / t);
  }
  return psi;
}

DriftMonitor::DriftMonitor(std::vector<ml::FeatureProfile> profile)
    : profile_(std::move(profile)), lookup_(std::make_unique<Lookup>()) {
  offset_.push_back(0);
  for (const auto& p : profile_) {
    offset_.push_back(offset_.back() + p.NumBins() + 1);  // + missing
    auto& map = lookup_->categories.emplace_back();
    for (size_t c = 0; c < p.categories.size(); ++c) map.emplace(p.categories[c], c);
  }
  for (size_t s = 0; s < kStripes; ++s) {
    stripes_.push_back(std::make_unique<Stripe>(offset_.back()));
  }
  unseen_ = std::make_unique<std::atomic<int64_t>[]>(profile_.size());
  for (size_t f = 0; f < profile_.size(); ++f) unseen_[f].store(0, std::memory_order_relaxed);
}

DriftMonitor::~DriftMonitor() = default;

void DriftMonitor::Observe(const ml::Table& features) {
  Stripe& stripe = *stripes_[ThisThreadStripe()];
  const size_t rows = features.num_rows();
  if (rows == 0) return;
  for (size_t f = 0; f < profile_.size(); ++f) {
    const size_t at = FindColumn(features, profile_[f].name, f);
    CountFeature(f, at == std::string::npos ? nullptr : &features.column(at), rows, stripe);
  }
}

void DriftMonitor::CountFeature(size_t f, const ml::Column* column, size_t rows, Stripe& stripe) {
  const ml::FeatureProfile& p = profile_[f];
  std::atomic<int64_t>* counts = &stripe.counts[offset_[f]];
  const size_t missing = p.NumBins();
  if (column == nullptr) {
    counts[missing].fetch_add(static_cast<int64_t>(rows), std::memory_order_relaxed);
    return;
  }
  const CategoryMap& map = lookup_->categories[f];
  auto bin_of = [&](size_t i) {
    return p.kind == ml::ProfileKind::kNumeric ? NumericRowBin(p, *column, i)
                                               : CategoryRowBin(p, map, *column, i);
  };
  if (rows == 1) {
    counts[bin_of(0)].fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // Batches: count locally, then one atomic add per touched bin.
  thread_local std::vector<int64_t> local;
  local.assign(missing + 1, 0);
  for (size_t i = 0; i < rows; ++i) ++local[bin_of(i)];
  for (size_t b = 0; b <= missing; ++b) {
    if (local[b] != 0) counts[b].fetch_add(local[b], std::memory_order_relaxed);
  }
}

void DriftMonitor::ObserveUnseen(const std::vector<ml::UnseenCategory>& unseen) {
  size_t f = 0;  // values come grouped by column: try the last feature first
  for (const ml::UnseenCategory& u : unseen) {
    if (f >= profile_.size() || profile_[f].name != u.column) {
      f = 0;
      while (f < profile_.size() && profile_[f].name != u.column) ++f;
      if (f == profile_.size()) continue;
    }
    unseen_[f].fetch_add(1, std::memory_order_relaxed);
  }
}

int64_t DriftMonitor::Count(size_t f, size_t bin) const {
  int64_t sum = 0;
  for (const auto& s : stripes_) sum += s->counts[offset_[f] + bin].load(std::memory_order_relaxed);
  return sum;
}

void DriftMonitor::Reset() {
  for (auto& s : stripes_) {
    for (auto& c : s->counts) c.store(0, std::memory_order_relaxed);
  }
  for (size_t f = 0; f < profile_.size(); ++f) unseen_[f].store(0, std::memory_order_relaxed);
}

}  // namespace kiln::serving
