// DriftMonitor::Report (declared in serving/drift.h).
#include <fmt/format.h>

#include "serving/drift.h"

namespace kiln::serving {
namespace {

// Display labels of a profile's bins, then "missing".
std::vector<std::string> BinLabels(const ml::FeatureProfile& p) {
  std::vector<std::string> labels;
  if (p.kind == ml::ProfileKind::kCategorical) {
    labels = p.categories;
    labels.push_back("other");
  } else if (p.edges.empty()) {
    labels.push_back("(-inf, +inf)");
  } else {
    labels.push_back(fmt::format("(-inf, {}]", p.edges.front()));
    for (size_t i = 1; i < p.edges.size(); ++i) {
      labels.push_back(fmt::format("({}, {}]", p.edges[i - 1], p.edges[i]));
    }
    labels.push_back(fmt::format("({}, +inf)", p.edges.back()));
  }
  labels.push_back("missing");
  return labels;
}

}  // namespace

std::vector<FeatureDrift> DriftMonitor::Report(int64_t min_rows) const {
  std::vector<FeatureDrift> report;
  report.reserve(profile_.size());
  for (size_t f = 0; f < profile_.size(); ++f) {
    const ml::FeatureProfile& p = profile_[f];
    FeatureDrift d;
    d.feature = p.name;
    d.min_rows = min_rows;
    d.unseen_values = unseen_[f].load(std::memory_order_relaxed);
    d.bins = BinLabels(p);
    d.train_fractions = p.fractions;
    d.train_fractions.push_back(p.missing_fraction);
    std::vector<int64_t> counts;
    for (size_t b = 0; b < d.bins.size(); ++b) {
      counts.push_back(Count(f, b));
      d.live_rows += counts.back();
    }
    for (int64_t c : counts) {
      d.live_fractions.push_back(
          d.live_rows > 0 ? static_cast<double>(c) / static_cast<double>(d.live_rows) : 0.0);
    }
    if (d.live_rows > 0) {
      d.psi = PopulationStabilityIndex(d.train_fractions, d.live_fractions);
      d.level = d.live_rows < min_rows ? DriftLevel::kInsufficientData : ClassifyPsi(d.psi);
    }
    report.push_back(std::move(d));
  }
  return report;
}

}  // namespace kiln::serving
