// kiln_bench_serving: the hot-path cost of serving metrics and drift counting, and the cost of
// profiling training data. Run: build/kiln_bench_serving (docs/serving.md, "Monitoring").
#include <benchmark/benchmark.h>

#include <random>

#include "ml/feature_profile.h"
#include "serving/drift.h"
#include "serving/serving_metrics.h"

namespace {

using kiln::ml::Column;
using kiln::ml::Table;

// One shared instance for all benchmark threads, as on a server.
kiln::serving::ServingMetrics& SharedMetrics() {
  static kiln::serving::ServingMetrics metrics;
  return metrics;
}

void BM_ServingMetricsObserve(benchmark::State& state) {
  auto& metrics = SharedMetrics();
  const kiln::serving::ClassCount classes[] = {{"setosa", 0}, {"versicolor", 1}, {"virginica", 0}};
  for (auto _ : state) metrics.Observe("iris", 1, 200, 0.0004, 1, classes);
}
BENCHMARK(BM_ServingMetricsObserve)->Threads(1)->Threads(2);

void BM_ServingSeriesObserve(benchmark::State& state) {
  auto& series = SharedMetrics().Series("iris", 2);
  const kiln::serving::ClassCount classes[] = {{"setosa", 0}, {"versicolor", 1}, {"virginica", 0}};
  for (auto _ : state) series.Observe(200, 0.0004, 1, classes);
}
BENCHMARK(BM_ServingSeriesObserve)->Threads(1)->Threads(2);

// A training table: 4 float features and 2 categorical ones (a string and a low-card int).
Table TrainingTable(size_t rows) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0, 1);
  std::vector<std::string> colors = {"red", "green", "blue"};
  Table t;
  for (int f = 0; f < 4; ++f) {
    std::vector<double> v(rows);
    for (auto& x : v) x = normal(rng);
    (void)t.AddColumn(Column::Float64("f" + std::to_string(f), std::move(v)));
  }
  std::vector<std::string> s(rows);
  std::vector<int64_t> n(rows);
  for (size_t i = 0; i < rows; ++i)
    s[i] = colors[rng() % 3], n[i] = static_cast<int64_t>(rng() % 5);
  (void)t.AddColumn(Column::String("color", std::move(s)));
  (void)t.AddColumn(Column::Int64("level", std::move(n)));
  return t;
}

kiln::serving::DriftMonitor& SharedMonitor() {
  static kiln::serving::DriftMonitor monitor([] {
    Table t = TrainingTable(10000);
    return std::move(kiln::ml::ProfileFeatures(t, t.ColumnNames())).value();
  }());
  return monitor;
}

void BM_DriftObserveOneRow(benchmark::State& state) {
  auto& monitor = SharedMonitor();
  const Table request = TrainingTable(1);
  for (auto _ : state) monitor.Observe(request);
}
BENCHMARK(BM_DriftObserveOneRow)->Threads(1)->Threads(2);

void BM_DriftObserveBatch(benchmark::State& state) {
  auto& monitor = SharedMonitor();
  const Table request = TrainingTable(static_cast<size_t>(state.range(0)));
  for (auto _ : state) monitor.Observe(request);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DriftObserveBatch)->Arg(10000);

void BM_RenderPrometheus(benchmark::State& state) {
  kiln::serving::ServingMetrics metrics;
  const kiln::serving::ClassCount classes[] = {{"a", 1}, {"b", 1}, {"c", 1}};
  for (int d = 0; d < 10; ++d) metrics.Observe("d" + std::to_string(d), 1, 200, 0.001, 3, classes);
  for (auto _ : state) benchmark::DoNotOptimize(metrics.RenderPrometheus());
}
BENCHMARK(BM_RenderPrometheus);

// Profiling the 6-column training table at the end of training; rows per column in range(0).
void BM_ProfileFeatures(benchmark::State& state) {
  const Table t = TrainingTable(static_cast<size_t>(state.range(0)));
  const auto names = t.ColumnNames();
  for (auto _ : state) benchmark::DoNotOptimize(kiln::ml::ProfileFeatures(t, names));
  state.SetItemsProcessed(state.iterations() * state.range(0) * 6);
}
BENCHMARK(BM_ProfileFeatures)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace
