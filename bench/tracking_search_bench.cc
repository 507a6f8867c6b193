// Search benchmarks over the 100,000-run dataset (search_dataset.h): runs/search with
// max_results 100 and the filter "metrics.acc > 0.9" or none, in the default order
// (start_time DESC) and ordered by metrics.acc DESC; and a filter matching one run, ordered
// by metrics.acc DESC, where the walk over latest_metrics_by_key gives up for the general
// statement (run_search_page.h). In-process (TrackingService::SearchRuns) and over HTTP
// against a real `kiln server`.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "bench_env.h"
#include "latency.h"
#include "search_dataset.h"

namespace kiln::bench {
namespace {

constexpr int64_t kPage = 100;

struct SearchCase {
  const char* filter;
  const char* order_by;  // "" = the default order
};

// Indexed by the benchmark's argument.
constexpr SearchCase kCases[] = {
    {"metrics.acc > 0.9", ""}, {"metrics.acc > 0.9", "metrics.acc DESC"},    {"", ""},
    {"", "metrics.acc DESC"},  {"params.seed = '4242'", "metrics.acc DESC"},
};

void SetLabel(benchmark::State& state, const SearchCase& c) {
  std::string label = std::string("filter='") + c.filter + "'";
  if (*c.order_by) label += std::string(" order_by='") + c.order_by + "'";
  state.SetLabel(label + " runs=" + std::to_string(GetSearchDataset().runs));
}

void BM_SearchRuns_Domain(benchmark::State& state) {
  const SearchCase& c = kCases[state.range(0)];
  const SearchDataset& d = GetSearchDataset();
  tracking::RunQuery query;
  query.experiment_ids = {d.experiment_id};
  query.filter = c.filter;
  if (*c.order_by) query.order_by = {c.order_by};
  query.max_results = kPage;
  LatencyRecorder latency(state);
  size_t returned = 0;
  for (auto _ : state) {
    latency.Time(
        [&] { returned = Must(SearchTracking().SearchRuns(query), "SearchRuns").items.size(); });
  }
  latency.Report();
  state.counters["returned"] = static_cast<double>(returned);
  SetLabel(state, c);
}
BENCHMARK(BM_SearchRuns_Domain)
    ->DenseRange(0, 4)
    ->UseManualTime()
    ->MinTime(1.0)
    ->Unit(benchmark::kMillisecond);

void BM_SearchRuns_Http(benchmark::State& state) {
  const SearchCase& c = kCases[state.range(0)];
  const SearchDataset& d = GetSearchDataset();
  http::Client client(SearchServerUrl());
  nlohmann::json request = {{"experiment_ids", {d.experiment_id}}, {"max_results", kPage}};
  if (*c.filter) request["filter"] = c.filter;
  if (*c.order_by) request["order_by"] = {c.order_by};
  const std::string body = request.dump();
  LatencyRecorder latency(state);
  std::string response;
  for (auto _ : state) {
    latency.Time([&] { response = PostMlflow(client, "runs/search", body); });
  }
  latency.Report();
  state.counters["returned"] = static_cast<double>(
      nlohmann::json::parse(response).value("runs", nlohmann::json::array()).size());
  state.counters["body_kb"] = static_cast<double>(response.size()) / 1024.0;
  SetLabel(state, c);
}
BENCHMARK(BM_SearchRuns_Http)
    ->DenseRange(0, 4)
    ->UseManualTime()
    ->MinTime(1.0)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kiln::bench
