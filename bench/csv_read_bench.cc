// kiln_bench_ml: CSV reading throughput (see bench/run_csv_bench.sh).
// Environment: KILN_CSV_BENCH_FILE (a CSV to read; default: one generated in the temp
// directory), KILN_CSV_BENCH_ROWS (rows of the generated file, default 200000; 50 columns).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "ml/csv_reader.h"
#include "ml/file_io.h"

namespace {

// Writes `rows` x `cols` of seeded ints (even columns) and floats (odd columns) with a header.
std::string GenerateCsv(size_t rows, size_t cols) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> ints(-1000000, 1000000);
  std::uniform_real_distribution<double> reals(-10000.0, 10000.0);
  std::string out;
  for (size_t j = 0; j < cols; ++j) out += (j ? ",c" : "c") + std::to_string(j);
  out += '\n';
  char buf[64];
  for (size_t i = 0; i < rows; ++i) {
    for (size_t j = 0; j < cols; ++j) {
      if (j) out += ',';
      int n = (j % 2 == 0) ? std::snprintf(buf, sizeof(buf), "%d", ints(rng))
                           : std::snprintf(buf, sizeof(buf), "%.4f", reals(rng));
      out.append(buf, static_cast<size_t>(n));
    }
    out += '\n';
  }
  return out;
}

// The file to read: KILN_CSV_BENCH_FILE, or a generated one removed at exit.
struct BenchInput {
  std::string path;
  bool generated = false;
  ~BenchInput() {
    if (generated) ::unlink(path.c_str());
  }
};

const std::string& BenchFile() {
  static const BenchInput input = [] {
    BenchInput in;
    if (const char* env = std::getenv("KILN_CSV_BENCH_FILE")) {
      in.path = env;
      return in;
    }
    const char* rows_env = std::getenv("KILN_CSV_BENCH_ROWS");
    size_t rows = rows_env ? std::strtoull(rows_env, nullptr, 10) : 200000;
    in.path = "/tmp/kiln_csv_bench_" + std::to_string(::getpid()) + ".csv";
    if (!kiln::ml::WriteFileAtomically(in.path, GenerateCsv(rows, 50)).ok()) std::abort();
    in.generated = true;
    return in;
  }();
  return input.path;
}

void ReadCsvBench(benchmark::State& state) {
  const std::string& path = BenchFile();
  kiln::ml::CsvOptions options;
  options.num_threads = static_cast<int>(state.range(0));
  size_t bytes = 0, rows = 0;
  for (auto _ : state) {
    auto table = kiln::ml::ReadCsvFile(path, options);
    if (!table.ok()) {
      state.SkipWithError(table.status().ToString().c_str());
      return;
    }
    rows = table->num_rows();
    benchmark::DoNotOptimize(table->column(0).size());
  }
  if (auto f = kiln::ml::ReadFileBytes(path); f.ok()) bytes = f->size();
  state.SetBytesProcessed(static_cast<int64_t>(bytes * state.iterations()));
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(rows * state.iterations()), benchmark::Counter::kIsRate);
  state.counters["rows"] = static_cast<double>(rows);
}

// Arg: threads (1 = the default, 0 = one per core).
BENCHMARK(ReadCsvBench)->Arg(1)->Arg(0)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
