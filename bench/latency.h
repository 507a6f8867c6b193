// LatencyRecorder: the wall time of each benchmark iteration, fed to Google Benchmark as
// manual time and summarised as percentile counters (p50_us, p90_us, p99_us, max_us), so a
// run reports a latency histogram rather than only a mean. One recorder per thread.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <vector>

namespace kiln::bench {

class LatencyRecorder {
 public:
  explicit LatencyRecorder(benchmark::State& state) : state_(state) {}

  // Runs `fn` as the timed part of one iteration (the benchmark must UseManualTime()).
  template <class Fn>
  void Time(Fn&& fn) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    state_.SetIterationTime(elapsed.count());
    samples_.push_back(elapsed.count());
  }

  // Sets the percentile counters on the state (averaged over threads). Call after the loop.
  void Report();

 private:
  benchmark::State& state_;
  std::vector<double> samples_;  // seconds
};

// The nearest-rank percentile `p` (0..100) of `samples`, which it sorts. 0 when empty.
double Percentile(std::vector<double>& samples, double p);

}  // namespace kiln::bench
