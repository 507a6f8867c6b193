// kiln_bench_tracking: the tracking benchmarks (see bench/run_tracking_bench.sh).
// Environment: KILN_BIN (the kiln binary for the HTTP benchmarks; default: the one built
// beside this), KILN_BENCH_SEARCH_RUNS and KILN_BENCH_SEARCH_DIR (search_dataset.h).
#include <benchmark/benchmark.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include "bench_env.h"

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  spdlog::set_level(spdlog::level::warn);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  kiln::bench::ShutdownEnv();
  return 0;
}
