// kiln_bench_serving_log: the serving request log (src/serving/request_log.h).
//   RequestLogAppend/threads:N  Append of a ~300-byte iris record from N threads at once;
//                               p50_us/p99_us are per call (LatencyRecorder).
//   NewRequestIdBench             id generation alone.
//   RequestLogOpen               replay of a log of KILN_REQLOG_BENCH_ROWS records (200000).
// The log lives in a temporary directory removed at exit.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/ids.h"
#include "latency.h"
#include "serving/request_log.h"

namespace {

using kiln::serving::LoggedRequest;
using kiln::serving::RequestLog;

struct TempDir {
  std::string path;
  TempDir() {
    path = (std::filesystem::temp_directory_path() / "kiln_reqlog_bench_XXXXXX").string();
    if (::mkdtemp(path.data()) == nullptr) std::abort();
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

const std::string& BenchDir() {
  static const TempDir dir;
  return dir.path;
}

// A prediction of the iris example: 4 features in, a label and 3 probabilities out.
LoggedRequest IrisRequest() {
  LoggedRequest r;
  r.request_id = kiln::serving::NewRequestId();
  r.time_ms = kiln::NowMillis();
  r.deployment = "iris-prod";
  r.model = "iris";
  r.version = 3;
  r.inputs_json =
      R"([{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}])";
  r.outputs_json = R"([{"predicted":"setosa","probabilities":{"setosa":0.981,"versicolor":0.012,)"
                   R"("virginica":0.007}}])";
  r.latency_ms = 0.084;
  return r;
}

RequestLog& AppendLog() {
  static std::unique_ptr<RequestLog> log = [] {
    auto opened = RequestLog::Open(BenchDir() + "/append");
    if (!opened.ok()) std::abort();
    return std::move(opened).value();
  }();
  return *log;
}

void RequestLogAppend(benchmark::State& state) {
  RequestLog& log = AppendLog();
  LoggedRequest r = IrisRequest();
  kiln::bench::LatencyRecorder latency(state);
  for (auto _ : state) {
    r.request_id = kiln::serving::NewRequestId();
    latency.Time([&] {
      if (!log.Append(r).ok()) std::abort();
    });
  }
  latency.Report();
  state.counters["record_bytes"] =
      benchmark::Counter(static_cast<double>(r.inputs_json.size() + r.outputs_json.size() + 150),
                         benchmark::Counter::kAvgThreads);
}
BENCHMARK(RequestLogAppend)->Threads(1)->Threads(2)->UseManualTime()->Unit(benchmark::kMicrosecond);

void NewRequestIdBench(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(kiln::serving::NewRequestId());
}
BENCHMARK(NewRequestIdBench);

void RequestLogOpen(benchmark::State& state) {
  const char* env = std::getenv("KILN_REQLOG_BENCH_ROWS");
  const size_t rows = env ? std::strtoull(env, nullptr, 10) : 200000;
  const std::string dir = BenchDir() + "/replay";
  {
    auto log = RequestLog::Open(dir);
    if (!log.ok()) std::abort();
    LoggedRequest r = IrisRequest();
    for (size_t i = 0; i < rows; ++i) {
      r.request_id = kiln::serving::NewRequestId();
      if (!(*log)->Append(r).ok()) std::abort();
    }
  }
  uint64_t bytes = 0;
  for (auto _ : state) {
    auto log = RequestLog::Open(dir);
    if (!log.ok()) std::abort();
    bytes = (*log)->Stats().bytes;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes * state.iterations()));
  state.counters["records_per_second"] = benchmark::Counter(
      static_cast<double>(rows * state.iterations()), benchmark::Counter::kIsRate);
  std::filesystem::remove_all(dir);
}
BENCHMARK(RequestLogOpen)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
