// ServingMetrics: the series by (deployment, version) (declared in serving/serving_metrics.h).
#include <algorithm>
#include <array>

#include "serving/serving_metrics.h"

namespace kiln::serving {
namespace {

std::atomic<uint64_t> next_instance_id{1};

// A recently used series of this thread. Series live as long as their ServingMetrics, whose
// ids are never reused, so an entry is valid whenever its owner id matches.
struct CachedSeries {
  uint64_t owner = 0;
  int64_t version = 0;
  std::string deployment;
  ServingSeries* series = nullptr;
};
constexpr size_t kCachedSeries = 4;
thread_local std::array<CachedSeries, kCachedSeries> cache;
thread_local size_t next_victim = 0;

}  // namespace

ServingMetrics::ServingMetrics() : id_(next_instance_id.fetch_add(1)) {}

ServingMetrics::~ServingMetrics() = default;

ServingSeries& ServingMetrics::Series(std::string_view deployment, int64_t version) {
  version = std::max(version, kNoVersion);
  const std::pair<std::string_view, int64_t> key(deployment, version);
  {
    ReaderMutexLock lock(mu_);
    auto it = series_.find(key);
    if (it != series_.end()) return *it->second;
  }
  WriterMutexLock lock(mu_);
  auto it = series_.find(key);
  if (it == series_.end()) {
    auto series = std::make_unique<ServingSeries>(std::string(deployment), version);
    it = series_.emplace(Key(std::string(deployment), version), std::move(series)).first;
  }
  return *it->second;
}

void ServingMetrics::Observe(std::string_view deployment, int64_t version, int code,
                             double latency_seconds, int64_t rows,
                             std::span<const ClassCount> predictions) {
  version = std::max(version, kNoVersion);
  for (const auto& entry : cache) {
    if (entry.owner == id_ && entry.version == version && entry.deployment == deployment) {
      entry.series->Observe(code, latency_seconds, rows, predictions);
      return;
    }
  }
  ServingSeries& series = Series(deployment, version);
  CachedSeries& entry = cache[next_victim++ % kCachedSeries];
  entry.owner = id_;
  entry.version = version;
  entry.deployment.assign(deployment);
  entry.series = &series;
  series.Observe(code, latency_seconds, rows, predictions);
}

}  // namespace kiln::serving
