// Shared state of the tracking benchmarks: a scratch folder under /tmp (removed at exit),
// the `kiln server` child processes (started on first use, stopped at exit) and small
// helpers. Setup failures end the process with a message: a benchmark that cannot set up
// has nothing to measure.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "http/client.h"
#include "tracking/entities.h"

namespace kiln::bench {

// This process's scratch folder, e.g. /tmp/kiln-bench-1234. Created on first use.
const std::string& ScratchDir();

// URL of a kiln server over a fresh data folder in the scratch folder (write benchmarks).
const std::string& WriteServerUrl();
// URL of a kiln server over the cached 100k-run search dataset (see search_dataset.h).
const std::string& SearchServerUrl();

// Stops the servers and removes the scratch folder. Idempotent; also runs at exit.
void ShutdownEnv();

[[noreturn]] void Die(const std::string& what, const Status& status);
inline void Must(const Status& status, const char* what) {
  if (!status.ok()) Die(what, status);
}
template <class T>
T Must(Result<T> result, const char* what) {
  if (!result.ok()) Die(what, result.status());
  return std::move(result).value();
}

// POSTs `body` to the MLflow API path (e.g. "runs/create") and returns the response body.
// Dies on a transport error or a non-200 answer.
std::string PostMlflow(http::Client& client, const std::string& path, const std::string& body);

// 1000 metrics (10 keys x 100 steps) starting at `first_step`: what one log-batch carries.
tracking::Batch MetricBatch(int64_t first_step, int metrics);
// The MLflow log-batch JSON body for `batch`.
std::string LogBatchBody(const std::string& run_id, const tracking::Batch& batch);
// The runs/create body the MLflow Python client sends (user, start time, source tags).
std::string CreateRunBody(const std::string& experiment_id);
// The run_id field of a runs/create response body.
std::string RunIdOf(const std::string& create_response);

}  // namespace kiln::bench
