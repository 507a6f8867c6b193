#include "ml/python_predictor.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "common/mutex.h"
#include "ml/python_worker.h"
#include "ml/python_worker_script.h"

namespace kiln::ml {
namespace {

using nlohmann::json;

constexpr size_t kMaxDefaultWorkers = 4;
constexpr std::chrono::seconds kSupervisePeriod{1};

std::string Interpreter(const PythonPredictorOptions& options) {
  if (!options.python.empty()) return options.python;
  const char* env = std::getenv("KILN_PYTHON");
  return env != nullptr && *env != '\0' ? env : "python3";
}

size_t WorkerCount(const PythonPredictorOptions& options) {
  if (options.workers > 0) return options.workers;
  const char* env = std::getenv("KILN_PYTHON_WORKERS");
  const long wanted = env != nullptr ? std::strtol(env, nullptr, 10) : 0;
  if (wanted > 0) return static_cast<size_t>(std::min(wanted, 64L));
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, kMaxDefaultWorkers);
}

json CellJson(const Column& column, size_t row) {
  if (!column.IsValid(row)) return nullptr;
  switch (column.type()) {
    case ColumnType::kFloat64:
      return column.doubles()[row];  // NaN is written as null, a missing value
    case ColumnType::kInt64:
      return column.ints()[row];
    case ColumnType::kBool:
      return column.bools()[row] != 0;
    case ColumnType::kString:
      return column.strings()[row];
  }
  return nullptr;
}

// {"columns": features, "data": rows} for the worker. Errors: kInvalidArgument naming a missing
// feature column.
Result<std::string> EncodeRequest(const Table& table, const std::vector<std::string>& features) {
  std::vector<const Column*> columns;
  for (const std::string& feature : features) {
    Result<const Column*> column = table.Find(feature);
    if (!column.ok()) return InvalidArgument("missing feature: " + column.status().message());
    columns.push_back(*column);
  }
  json data = json::array();
  for (size_t r = 0; r < table.num_rows(); ++r) {
    json row = json::array();
    for (const Column* column : columns) row.push_back(CellJson(*column, r));
    data.push_back(std::move(row));
  }
  return json{{"columns", features}, {"data", std::move(data)}}.dump();
}

Status BadAnswer(const std::string& why) {
  return Internal("the Python worker's answer is malformed: " + why);
}

Result<Predictions> DecodeProbabilities(const json& rows, size_t expected_rows, size_t width) {
  if (!rows.is_array() || rows.size() != expected_rows) return BadAnswer("probabilities rows");
  Predictions out;
  out.width = width;
  out.scores.reserve(expected_rows * width);
  for (const json& row : rows) {
    if (!row.is_array() || row.size() != width) return BadAnswer("probabilities width");
    for (const json& p : row) {
      if (!p.is_number()) return BadAnswer("a probability is not a number");
      out.scores.push_back(static_cast<float>(p.get<double>()));
    }
  }
  PickClasses(out);
  return out;
}

// Classifiers without predict_proba: each label as probability 1 of its class.
Result<Predictions> DecodeLabels(const json& labels, size_t expected_rows,
                                 const std::vector<std::string>& classes) {
  if (!labels.is_array() || labels.size() != expected_rows) return BadAnswer("labels");
  Predictions out;
  out.width = classes.size();
  out.scores.assign(expected_rows * out.width, 0.0f);
  for (size_t r = 0; r < expected_rows; ++r) {
    auto found = std::find(classes.begin(), classes.end(), labels[r].get<std::string>());
    if (found == classes.end()) return BadAnswer("label '" + labels[r].dump() + "' not a class");
    out.scores[r * out.width + static_cast<size_t>(found - classes.begin())] = 1.0f;
  }
  PickClasses(out);
  return out;
}

Result<Predictions> DecodeValues(const json& values, size_t expected_rows) {
  if (!values.is_array() || values.size() != expected_rows) return BadAnswer("values");
  Predictions out;
  for (const json& v : values) {
    if (!v.is_number()) return BadAnswer("a value is not a number");
    out.scores.push_back(static_cast<float>(v.get<double>()));
  }
  return out;
}

Result<Predictions> DecodeAnswer(const std::string& line, const ModelPackage& package,
                                 size_t rows) {
  const json answer = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!answer.is_object()) return BadAnswer("not a JSON object: " + line.substr(0, 200));
  if (answer.contains("error")) {
    return InvalidArgument("the model refused the input: " + answer.value("error", ""));
  }
  try {
    if (!package.is_classifier() && answer.contains("values")) {
      return DecodeValues(answer["values"], rows);
    }
    if (package.is_classifier() && answer.contains("probabilities")) {
      return DecodeProbabilities(answer["probabilities"], rows, package.classes.size());
    }
    if (package.is_classifier() && answer.contains("labels")) {
      return DecodeLabels(answer["labels"], rows, package.classes);
    }
  } catch (const json::exception& e) {  // a field of the wrong JSON type
    return BadAnswer(e.what());
  }
  return BadAnswer("no predictions for task " + package.task);
}

}  // namespace

// Workers, each behind its own mutex: a request takes the first free one.
class PythonPredictor::Pool {
 public:
  Pool(size_t size, const PythonWorkerOptions& options) {
    for (size_t i = 0; i < size; ++i) slots_.push_back(std::make_unique<Slot>(options));
  }
  // Stops the supervisor; the workers are then killed and reaped by their destructors.
  ~Pool() {
    {
      MutexLock lock(stop_mu_);
      stopping_ = true;
    }
    stop_cv_.notify_all();
    if (supervisor_.joinable()) supervisor_.join();
  }

  // Starts the thread that, every second, reaps idle workers that died (no zombie waits for
  // the next request) and starts their replacements, so the pool stays warm.
  void StartSupervisor() {
    supervisor_ = std::thread([this] {
      auto stopping = [this]() EXCLUDES(stop_mu_) {
        MutexLock lock(stop_mu_);
        return lock.WaitFor(stop_cv_, kSupervisePeriod,
                            [this]() REQUIRES(stop_mu_) { return stopping_; });
      };
      while (!stopping()) Supervise();
    });
  }

  // Starts every worker at once (each spends most of a second importing). Returns the first
  // error.
  Status StartAll() {
    std::vector<Status> results(slots_.size(), Status::Ok());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < slots_.size(); ++i) {
      threads.emplace_back([this, i, &results] {
        MutexLock lock(slots_[i]->mu);
        results[i] = slots_[i]->worker.EnsureStarted();
      });
    }
    for (std::thread& t : threads) t.join();
    for (Status& status : results) KILN_RETURN_IF_ERROR(std::move(status));
    return Status::Ok();
  }

  Result<std::string> Call(const std::string& request) {
    const size_t first = next_.fetch_add(1, std::memory_order_relaxed) % slots_.size();
    for (size_t i = 0; i < slots_.size(); ++i) {
      Slot& slot = *slots_[(first + i) % slots_.size()];
      if (slot.mu.TryLock()) {
        MutexLock lock(slot.mu, AdoptLock{});
        return slot.worker.Call(request);
      }
    }
    Slot& slot = *slots_[first];
    MutexLock lock(slot.mu);
    return slot.worker.Call(request);
  }

  std::vector<int> Pids() {
    std::vector<int> pids;
    for (auto& slot : slots_) {
      MutexLock lock(slot->mu);
      pids.push_back(slot->worker.pid());
    }
    return pids;
  }

 private:
  struct Slot {
    explicit Slot(const PythonWorkerOptions& options) : worker(options) {}
    Mutex mu;
    PythonWorker worker GUARDED_BY(mu);
  };

  // Busy workers are skipped: a request in flight notices a death itself.
  void Supervise() {
    for (auto& slot : slots_) {
      if (!slot->mu.TryLock()) continue;
      MutexLock lock(slot->mu, AdoptLock{});
      if (slot->worker.ReapIfExited()) {
        slot->worker.EnsureStarted().IgnoreError();  // on failure the next request reports it
      }
    }
  }

  std::vector<std::unique_ptr<Slot>> slots_;
  std::atomic<size_t> next_{0};
  Mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ GUARDED_BY(stop_mu_) = false;
  std::thread supervisor_;
};

PythonPredictor::PythonPredictor(ModelPackage package, std::optional<FittedPreprocess> chain,
                                 std::unique_ptr<Pool> pool)
    : package_(std::move(package)), chain_(std::move(chain)), pool_(std::move(pool)) {}

PythonPredictor::~PythonPredictor() = default;

Result<std::unique_ptr<Predictor>> PythonPredictor::Load(const std::string& dir,
                                                         ModelPackage package,
                                                         PythonPredictorOptions options) {
  KILN_ASSIGN_OR_RETURN(std::optional<FittedPreprocess> chain, LoadPackageChain(dir, package));
  PythonWorkerOptions worker;
  worker.argv = {Interpreter(options), "-c", PythonWorkerScript(), dir};
  worker.request_timeout = options.request_timeout;
  auto pool = std::make_unique<Pool>(WorkerCount(options), worker);
  Status started = pool->StartAll();
  if (!started.ok()) return Status(started.code(), dir + ": " + started.message());
  pool->StartSupervisor();
  return std::unique_ptr<Predictor>(
      new PythonPredictor(std::move(package), std::move(chain), std::move(pool)));
}

Result<Predictions> PythonPredictor::Predict(const Table& rows) const {
  std::optional<Table> storage;
  std::vector<UnseenCategory> unseen;
  KILN_ASSIGN_OR_RETURN(const Table* table, ApplyChain(chain_, rows, storage, unseen));
  KILN_ASSIGN_OR_RETURN(std::string request, EncodeRequest(*table, package_.features));
  KILN_ASSIGN_OR_RETURN(std::string answer, pool_->Call(request));
  KILN_ASSIGN_OR_RETURN(Predictions out, DecodeAnswer(answer, package_, table->num_rows()));
  out.unseen = std::move(unseen);
  return out;
}

std::vector<int> PythonPredictor::WorkerPids() const { return pool_->Pids(); }

}  // namespace kiln::ml
