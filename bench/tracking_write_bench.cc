// Write-path benchmarks: log-batch of 1,000 metrics, single log-metric and run creation,
// each at three levels so the server's share is bracketed:
//   Domain  - TrackingService called in-process (validation + SQLite transaction);
//   Handler - api::App::Handle in-process (JSON parse, routing, domain, render; no socket);
//   Http    - a keep-alive http::Client against a real `kiln server` child process.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>

#include "api/app.h"
#include "api/mlflow/artifact_paths.h"
#include "bench_env.h"
#include "common/ids.h"
#include "latency.h"
#include "store/meta_store.h"
#include "tracking/tracking_service.h"

namespace kiln::bench {
namespace {

constexpr int kBatchMetrics = 1000;
constexpr const char* kMlflow = "/api/2.0/mlflow/";

struct Domain {
  std::unique_ptr<store::MetaStore> store;
  std::unique_ptr<tracking::TrackingService> tracking;
};

tracking::TrackingService& DomainTracking() {
  static Domain* domain = [] {
    auto* d = new Domain;
    const std::string dir = ScratchDir() + "/domain";
    std::filesystem::create_directories(dir);
    d->store = Must(store::OpenSqliteStore(dir + "/kiln.db"), "opening store");
    d->tracking =
        std::make_unique<tracking::TrackingService>(*d->store, api::mlflow::kArtifactScheme);
    Must(d->tracking->Init(), "Init");
    return d;
  }();
  return *domain->tracking;
}

std::string NewDomainRun() {
  tracking::CreateRunRequest request;
  request.user_id = "bench";
  return Must(DomainTracking().CreateRun(request), "CreateRun").info.run_id;
}

api::App& HandlerApp() {
  static api::App* app = Must(api::App::Open(ScratchDir() + "/app"), "App::Open").release();
  return *app;
}

http::Request MlflowPost(const std::string& path, std::string body) {
  http::Request request;
  request.method = "POST";
  request.target = request.path = kMlflow + path;
  request.headers["content-type"] = "application/json";
  request.body = std::move(body);
  return request;
}

// Runs one in-process request; skips the benchmark on a non-200 answer.
bool HandleOk(benchmark::State& state, http::Request& request, std::string* body = nullptr) {
  http::Response response = HandlerApp().Handle(request);
  if (response.status != 200) {
    state.SkipWithError(("HTTP " + std::to_string(response.status) + ": " + response.body).c_str());
    return false;
  }
  if (body) *body = std::move(response.body);
  return true;
}

std::string NewHandlerRun(benchmark::State& state) {
  http::Request request = MlflowPost("runs/create", CreateRunBody("0"));
  std::string body;
  return HandleOk(state, request, &body) ? RunIdOf(body) : "";
}

std::string LogMetricBody(const std::string& run_id, int64_t step) {
  return "{\"run_id\":\"" + run_id +
         "\",\"key\":\"loss\",\"value\":" + std::to_string(1.0 / static_cast<double>(step + 1)) +
         ",\"timestamp\":" + std::to_string(NowMillis()) + ",\"step\":" + std::to_string(step) +
         "}";
}

// ---- log-batch of 1,000 metrics -------------------------------------------------------------

void BM_LogBatch1000_Domain(benchmark::State& state) {
  tracking::TrackingService& t = DomainTracking();
  const std::string run_id = NewDomainRun();
  LatencyRecorder latency(state);
  int64_t step = 0;
  for (auto _ : state) {
    tracking::Batch batch = MetricBatch(step, kBatchMetrics);
    step += kBatchMetrics;
    latency.Time([&] { Must(t.LogBatch(run_id, batch), "LogBatch"); });
  }
  latency.Report();
  state.SetItemsProcessed(state.iterations() * kBatchMetrics);
}
BENCHMARK(BM_LogBatch1000_Domain)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_LogBatch1000_Handler(benchmark::State& state) {
  const std::string run_id = NewHandlerRun(state);
  LatencyRecorder latency(state);
  int64_t step = 0;
  for (auto _ : state) {
    http::Request request =
        MlflowPost("runs/log-batch", LogBatchBody(run_id, MetricBatch(step, kBatchMetrics)));
    step += kBatchMetrics;
    bool ok = true;
    latency.Time([&] { ok = HandleOk(state, request); });
    if (!ok) break;
  }
  latency.Report();
  state.SetItemsProcessed(state.iterations() * kBatchMetrics);
}
BENCHMARK(BM_LogBatch1000_Handler)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_LogBatch1000_Http(benchmark::State& state) {
  http::Client client(WriteServerUrl());
  const std::string run_id = RunIdOf(PostMlflow(client, "runs/create", CreateRunBody("0")));
  LatencyRecorder latency(state);
  int64_t step = 0;
  for (auto _ : state) {
    const std::string body = LogBatchBody(run_id, MetricBatch(step, kBatchMetrics));
    step += kBatchMetrics;
    latency.Time([&] { PostMlflow(client, "runs/log-batch", body); });
  }
  latency.Report();
  state.SetItemsProcessed(state.iterations() * kBatchMetrics);
  state.counters["body_kb"] =
      static_cast<double>(LogBatchBody(run_id, MetricBatch(0, kBatchMetrics)).size()) / 1024.0;
}
BENCHMARK(BM_LogBatch1000_Http)->UseManualTime()->Unit(benchmark::kMillisecond);

// ---- single log-metric ----------------------------------------------------------------------

void BM_LogMetric_Domain(benchmark::State& state) {
  tracking::TrackingService& t = DomainTracking();
  const std::string run_id = NewDomainRun();
  LatencyRecorder latency(state);
  int64_t step = 0;
  for (auto _ : state) {
    tracking::Batch batch;
    batch.metrics = {{"loss", 1.0 / static_cast<double>(step + 1), NowMillis(), step}};
    ++step;
    latency.Time([&] { Must(t.LogBatch(run_id, batch), "LogBatch"); });
  }
  latency.Report();
}
BENCHMARK(BM_LogMetric_Domain)->UseManualTime()->Unit(benchmark::kMicrosecond);

void BM_LogMetric_Handler(benchmark::State& state) {
  const std::string run_id = NewHandlerRun(state);
  LatencyRecorder latency(state);
  int64_t step = 0;
  for (auto _ : state) {
    http::Request request = MlflowPost("runs/log-metric", LogMetricBody(run_id, step++));
    bool ok = true;
    latency.Time([&] { ok = HandleOk(state, request); });
    if (!ok) break;
  }
  latency.Report();
}
BENCHMARK(BM_LogMetric_Handler)->UseManualTime()->Unit(benchmark::kMicrosecond);

void BM_LogMetric_Http(benchmark::State& state) {
  http::Client client(WriteServerUrl());
  const std::string run_id = RunIdOf(PostMlflow(client, "runs/create", CreateRunBody("0")));
  LatencyRecorder latency(state);
  int64_t step = 0;
  for (auto _ : state) {
    const std::string body = LogMetricBody(run_id, step++);
    latency.Time([&] { PostMlflow(client, "runs/log-metric", body); });
  }
  latency.Report();
}
BENCHMARK(BM_LogMetric_Http)->UseManualTime()->Unit(benchmark::kMicrosecond);

// ---- runs/create ------------------------------------------------------------------------------

void BM_CreateRun_Domain(benchmark::State& state) {
  tracking::TrackingService& t = DomainTracking();
  LatencyRecorder latency(state);
  for (auto _ : state) {
    tracking::CreateRunRequest request;
    request.user_id = "bench";
    request.start_time = NowMillis();
    request.tags = {{"mlflow.user", "bench"},
                    {"mlflow.source.name", "bench.py"},
                    {"mlflow.source.type", "LOCAL"}};
    latency.Time([&] { Must(t.CreateRun(request), "CreateRun"); });
  }
  latency.Report();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CreateRun_Domain)->UseManualTime()->Unit(benchmark::kMicrosecond);

// Every client thread keeps its own connection; items_per_second is runs created per
// second by all threads together (wall clock).
void BM_CreateRun_Http(benchmark::State& state) {
  http::Client client(WriteServerUrl());
  LatencyRecorder latency(state);
  for (auto _ : state) {
    const std::string body = CreateRunBody("0");
    latency.Time([&] { PostMlflow(client, "runs/create", body); });
  }
  latency.Report();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CreateRun_Http)->UseRealTime()->Threads(1)->Threads(2)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kiln::bench
