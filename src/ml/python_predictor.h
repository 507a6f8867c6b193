// The predictor of packages with flavor python: a pickled model (e.g. scikit-learn) scored by
// persistent Python worker processes that Kiln starts and supervises (ml/python_worker.h).
//
// Concurrency: each worker answers one request at a time, so Predict takes a free worker from a
// small pool (one per core, at most 4; KILN_PYTHON_WORKERS overrides) and waits for one when all
// are busy. More workers than cores would only add memory: each holds the interpreter, numpy and
// the model.
//
// Supervision: a worker that dies or hangs (request_timeout) during a request is killed and
// reaped, that request fails with kUnavailable and the next one gets a fresh worker; a worker
// found dead when a request is sent to it (killed while idle) is replaced and the request
// retried once, so callers never see it. A background thread also reaps and replaces idle
// workers that died, every second.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "ml/predictor.h"

namespace kiln::ml {

struct PythonPredictorOptions {
  std::string python;  // the interpreter; empty: $KILN_PYTHON, else python3 (found on PATH)
  size_t workers = 0;  // pool size; 0: $KILN_PYTHON_WORKERS, else min(cores, 4)
  std::chrono::milliseconds request_timeout{30000};  // a hung worker is killed after this
};

class PythonPredictor : public Predictor {
 public:
  // Starts the workers for the package in `dir` (manifest `package`, flavor python) and waits
  // until each has loaded the pickle. The folder must outlive the predictor (workers reload it
  // when restarted). Errors: kInvalidArgument with the worker's message when the model cannot be
  // loaded (a bad pickle, a missing Python module, classes that differ from the manifest's);
  // kUnavailable when the interpreter cannot start.
  static Result<std::unique_ptr<Predictor>> Load(const std::string& dir, ModelPackage package,
                                                 PythonPredictorOptions options = {});
  // Kills and reaps every worker.
  ~PythonPredictor() override;

  const ModelPackage& package() const override { return package_; }
  // Thread-safe. Errors: kInvalidArgument naming a missing feature column or what the model
  // refused (its exception's type and message); kUnavailable when the worker died or hung
  // during this request (it is restarted for the next); kInternal for a malformed answer.
  Result<Predictions> Predict(const Table& table) const override;

  // The pids of the running workers (0 for one not running), for tests and supervision.
  std::vector<int> WorkerPids() const;

 private:
  class Pool;
  PythonPredictor(ModelPackage package, std::optional<FittedPreprocess> chain,
                  std::unique_ptr<Pool> pool);

  ModelPackage package_;
  std::optional<FittedPreprocess> chain_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace kiln::ml
