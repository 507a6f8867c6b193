#include "bench_env.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "search_dataset.h"
#include "server_process.h"

namespace kiln::bench {
namespace {

std::mutex mutex;
std::string scratch;
std::unique_ptr<ServerProcess> write_server;
std::unique_ptr<ServerProcess> search_server;

std::string KilnBinary() {
  const char* env = std::getenv("KILN_BIN");
  return env && *env ? env : KILN_BINARY_PATH;
}

const std::string& StartServer(std::unique_ptr<ServerProcess>& slot, const std::string& dir) {
  if (!slot) {
    slot = Must(ServerProcess::Start(KilnBinary(), dir), "starting kiln server");
    std::fprintf(stderr, "[bench] kiln server pid %d at %s on %s\n", slot->pid(),
                 slot->url().c_str(), dir.c_str());
  }
  return slot->url();
}

}  // namespace

const std::string& ScratchDir() {
  std::lock_guard<std::mutex> lock(mutex);
  if (scratch.empty()) {
    scratch = "/tmp/kiln-bench-" + std::to_string(getpid());
    std::filesystem::create_directories(scratch);
    std::atexit(ShutdownEnv);
  }
  return scratch;
}

const std::string& WriteServerUrl() {
  const std::string dir = ScratchDir() + "/server";
  std::lock_guard<std::mutex> lock(mutex);
  return StartServer(write_server, dir);
}

const std::string& SearchServerUrl() {
  const std::string dir = GetSearchDataset().data_dir;
  std::lock_guard<std::mutex> lock(mutex);
  return StartServer(search_server, dir);
}

void ShutdownEnv() {
  std::lock_guard<std::mutex> lock(mutex);
  write_server.reset();
  search_server.reset();
  if (!scratch.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(scratch, ec);
    scratch.clear();
  }
}

void Die(const std::string& what, const Status& status) {
  std::fprintf(stderr, "[bench] %s failed: %s\n", what.c_str(), status.message().c_str());
  std::exit(1);
}

std::string PostMlflow(http::Client& client, const std::string& path, const std::string& body) {
  http::Response response = Must(client.Send("POST", "/api/2.0/mlflow/" + path, body), "POST");
  if (response.status != 200) {
    Die("POST " + path, Internal("HTTP " + std::to_string(response.status) + ": " + response.body));
  }
  return std::move(response.body);
}

tracking::Batch MetricBatch(int64_t first_step, int metrics) {
  constexpr int kKeys = 10;
  tracking::Batch batch;
  batch.metrics.reserve(static_cast<size_t>(metrics));
  const int64_t now = NowMillis();
  for (int i = 0; i < metrics; ++i) {
    const int64_t step = first_step + i / kKeys;
    batch.metrics.push_back({"metric_" + std::to_string(i % kKeys),
                             std::sin(static_cast<double>(step + i)), now, step});
  }
  return batch;
}

std::string LogBatchBody(const std::string& run_id, const tracking::Batch& batch) {
  nlohmann::json metrics = nlohmann::json::array();
  for (const tracking::Metric& m : batch.metrics) {
    metrics.push_back(
        {{"key", m.key}, {"value", m.value}, {"timestamp", m.timestamp}, {"step", m.step}});
  }
  return nlohmann::json{{"run_id", run_id}, {"metrics", std::move(metrics)}}.dump();
}

std::string CreateRunBody(const std::string& experiment_id) {
  return nlohmann::json{{"experiment_id", experiment_id},
                        {"user_id", "bench"},
                        {"start_time", NowMillis()},
                        {"tags",
                         {{{"key", "mlflow.user"}, {"value", "bench"}},
                          {{"key", "mlflow.source.name"}, {"value", "bench.py"}},
                          {{"key", "mlflow.source.type"}, {"value", "LOCAL"}}}}}
      .dump();
}

std::string RunIdOf(const std::string& create_response) {
  return nlohmann::json::parse(create_response)["run"]["info"]["run_id"].get<std::string>();
}

}  // namespace kiln::bench
