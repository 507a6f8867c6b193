// kiln_bench_rows: the cost of turning a native prediction body into a table, the DOM-free
// fast path (serving/rows_fast.h) against nlohmann's DOM + TableFromRecords (the fallback).
// Run: build/kiln_bench_rows --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <string>

#include "serving/rows_fast.h"
#include "serving/rows_json.h"

namespace {

using kiln::serving::Signature;

const Signature& IrisSignature() {
  static const Signature signature = {{"sepal_length", "float64"},
                                      {"sepal_width", "float64"},
                                      {"petal_length", "float64"},
                                      {"petal_width", "float64"}};
  return signature;
}

// {"rows": [...]} with `rows` iris rows, as clients send them.
std::string IrisBody(size_t rows) {
  std::string body = R"({"rows": [)";
  for (size_t i = 0; i < rows; ++i) {
    body += i ? ", " : "";
    body += R"({"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, )";
    body += R"("petal_width": )" + std::to_string(i % 25) + ".2}";
  }
  return body + "]}";
}

void BM_RowsFast(benchmark::State& state) {
  const std::string body = IrisBody(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    kiln::serving::ExtraFields extra;
    auto table = kiln::serving::FastTableFromNativeRows(body, IrisSignature(), extra);
    if (!table) state.SkipWithError("the fast path declined the body");
    benchmark::DoNotOptimize(table);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RowsFast)->Arg(1)->Arg(100);

void BM_RowsDom(benchmark::State& state) {
  const std::string body = IrisBody(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    kiln::serving::ExtraFields extra;
    auto table = kiln::serving::TableFromRecords(doc["rows"], IrisSignature(), "rows", extra);
    if (!table.ok()) state.SkipWithError("the DOM path refused the body");
    benchmark::DoNotOptimize(table);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RowsDom)->Arg(1)->Arg(100);

}  // namespace

BENCHMARK_MAIN();
