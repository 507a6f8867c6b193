#include "latency.h"

#include <algorithm>
#include <cmath>

namespace kiln::bench {

double Percentile(std::vector<double>& samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(samples.size()));
  const size_t index = static_cast<size_t>(std::clamp(rank, 1.0, double(samples.size()))) - 1;
  return samples[index];
}

void LatencyRecorder::Report() {
  using benchmark::Counter;
  auto us = [](double seconds) { return Counter(seconds * 1e6, Counter::kAvgThreads); };
  state_.counters["p50_us"] = us(Percentile(samples_, 50));
  state_.counters["p90_us"] = us(Percentile(samples_, 90));
  state_.counters["p99_us"] = us(Percentile(samples_, 99));
  state_.counters["max_us"] = us(Percentile(samples_, 100));
}

}  // namespace kiln::bench
