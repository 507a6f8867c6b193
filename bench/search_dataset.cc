#include "search_dataset.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>

#include "api/mlflow/artifact_paths.h"
#include "bench_env.h"
#include "store/meta_store.h"

namespace kiln::bench {
namespace {

constexpr const char* kExperiment = "search-bench";
constexpr const char* kMarker = "/populated";
constexpr int64_t kStartTime = 1700000000000;  // fixed, so runs order the same every time

struct Loaded {
  SearchDataset dataset;
  std::unique_ptr<store::MetaStore> store;
  std::unique_ptr<tracking::TrackingService> tracking;
};

int64_t RunCount() {
  const char* env = std::getenv("KILN_BENCH_SEARCH_RUNS");
  return env && *env ? std::atoll(env) : 100000;
}

void Populate(tracking::TrackingService& t, const std::string& experiment_id, int64_t runs) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < runs; ++i) {
    tracking::CreateRunRequest request;
    request.experiment_id = experiment_id;
    request.user_id = "bench";
    request.run_name = "run-" + std::to_string(i);
    request.start_time = kStartTime + i;
    tracking::Run run = Must(t.CreateRun(request), "CreateRun");
    const double acc = unit(rng);
    tracking::Batch batch;
    batch.metrics = {{"acc", acc, kStartTime + i, 0},
                     {"loss", 1.0 - acc + 0.05 * unit(rng), kStartTime + i, 0},
                     {"f1", acc * (0.9 + 0.1 * unit(rng)), kStartTime + i, 0}};
    batch.params = {{"lr", std::to_string(0.001 * (1 + i % 10))},
                    {"depth", std::to_string(2 + i % 8)},
                    {"seed", std::to_string(i)}};
    Must(t.LogBatch(run.info.run_id, batch), "LogBatch");
    if ((i + 1) % 10000 == 0) {
      const std::chrono::duration<double> s = std::chrono::steady_clock::now() - start;
      std::fprintf(stderr, "[bench] populated %lld/%lld runs (%.1f s)\n",
                   static_cast<long long>(i + 1), static_cast<long long>(runs), s.count());
    }
  }
}

std::unique_ptr<Loaded> Load() {
  auto loaded = std::make_unique<Loaded>();
  SearchDataset& d = loaded->dataset;
  d.runs = RunCount();
  const char* env = std::getenv("KILN_BENCH_SEARCH_DIR");
  d.data_dir = env && *env ? env : "/tmp/kiln-bench-search-" + std::to_string(d.runs) + "-v1";
  const bool cached = std::filesystem::exists(d.data_dir + kMarker);
  if (!cached) {
    std::filesystem::remove_all(d.data_dir);
    std::filesystem::create_directories(d.data_dir);
    std::fprintf(stderr, "[bench] populating %s with %lld runs (cached for later runs)\n",
                 d.data_dir.c_str(), static_cast<long long>(d.runs));
  }
  loaded->store = Must(store::OpenSqliteStore(d.data_dir + "/kiln.db"), "opening search store");
  loaded->tracking =
      std::make_unique<tracking::TrackingService>(*loaded->store, api::mlflow::kArtifactScheme);
  tracking::TrackingService& t = *loaded->tracking;
  Must(t.Init(), "Init");
  if (!cached) {
    d.experiment_id = Must(t.CreateExperiment(kExperiment, "", {}), "CreateExperiment");
    Populate(t, d.experiment_id, d.runs);
    std::ofstream(d.data_dir + kMarker) << d.runs << "\n";
  } else {
    d.experiment_id = Must(t.GetExperimentByName(kExperiment), "finding experiment").experiment_id;
  }
  return loaded;
}

Loaded& Instance() {
  static std::once_flag once;
  static std::unique_ptr<Loaded> loaded;
  std::call_once(once, [] { loaded = Load(); });
  return *loaded;
}

}  // namespace

const SearchDataset& GetSearchDataset() { return Instance().dataset; }

tracking::TrackingService& SearchTracking() { return *Instance().tracking; }

}  // namespace kiln::bench
