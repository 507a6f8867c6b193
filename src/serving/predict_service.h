// PredictService: the prediction flow behind every protocol's route. It chooses the model that
// answers (the canary for its share), scores the rows a protocol read, observes drift, logs the
// request (an answer that is not in the log is not given), counts it in the metrics and joins
// feedback to logged requests. Protocols (Kiln's native rows, MLflow's scoring format, KServe
// v2) only read bodies and write answers, through PredictProtocol. It knows no HTTP.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/predictor.h"
#include "ml/table.h"
#include "serving/loaded_model.h"
#include "serving/model_source.h"
#include "serving/monitoring.h"
#include "serving/rows_json.h"

namespace kiln::serving {

// A request's rows as a protocol read them.
struct PredictRows {
  ml::Table rows;
  nlohmann::json document;  // the body's JSON when the protocol parsed one; null otherwise
  ExtraFields extra;        // fields that are not model inputs
};

// What an answer is written from. Views, valid during PredictProtocol::Answer.
struct ScoredRequest {
  const LoadedModel& model;
  const PredictRows& request;
  const ml::Predictions& predictions;
  const std::string& objects;  // PredictionObjectsText of the predictions (what is logged)
  const std::string& request_id;
  const std::vector<std::string>& warnings;  // empty in the common case
};

// One prediction protocol: how a body becomes rows and a scored request an answer.
// Implementations are stateless and thread-safe.
class PredictProtocol {
 public:
  virtual ~PredictProtocol() = default;
  // The rows of `body`, typed by `package`'s signature; fields that are not inputs are listed
  // in `extra` or, when `strict`, refused. Errors: kInvalidArgument naming the field.
  virtual Result<PredictRows> Read(const std::string& body, const ml::ModelPackage& package,
                                   bool strict) const = 0;
  // The answer's text.
  virtual std::string Answer(const ScoredRequest& scored) const = 0;
};

// An answered prediction.
struct Prediction {
  std::string answer;                        // the protocol's text
  std::string request_id;                    // as logged
  std::shared_ptr<const LoadedModel> model;  // the version that answered
};

// The code the metrics count a request under, for its outcome (kOk for an answer): the
// server's HTTP status for it, which only the API layer knows.
using MetricCode = int (*)(StatusCode code);

class PredictService {
 public:
  // `models` and `monitoring` must outlive the service.
  PredictService(const ModelSource& models, Monitoring& monitoring, MetricCode metric_code)
      : models_(models), monitoring_(monitoring), metric_code_(metric_code) {}

  // Answers one request of `deployment` whose body is `body`, read and answered by `protocol`.
  // `strict_inputs` is what the request asked for ("true" or "false"; nullopt when it did not
  // ask); a strict deployment is strict whatever it asks. Every outcome but an unknown
  // deployment is counted in the metrics. Errors: kNotFound (no such deployment),
  // kUnavailable (nothing loaded yet; the log could not take the request; an out-of-process
  // model could not answer), kInvalidArgument (the body, a strict_inputs value other than
  // true/false, a category not seen in training when strict). Thread-safe.
  Result<Prediction> Predict(const PredictProtocol& protocol, const std::string& deployment,
                             const std::string& body,
                             const std::optional<std::string>& strict_inputs) const;

  // OK when this process keeps a request log, so feedback can be joined; else
  // kFailedPrecondition saying where the log is kept. Thread-safe.
  Status KeepsLog() const { return monitoring_.Log().status(); }

  // Joins the truth `labels_json` (JSON text: one label, or one per row) to logged request
  // `request_id` of `deployment`, and returns the deployment's live quality per version.
  // Errors: kFailedPrecondition when this process keeps no request log; those of
  // RequestLog::AddFeedback. Thread-safe.
  Result<std::vector<VersionQuality>> AddFeedback(const std::string& deployment,
                                                  const std::string& request_id,
                                                  const std::string& labels_json) const;

  // The metrics of every deployment and the drift of every live model, in Prometheus text
  // format 0.0.4. Thread-safe; never fails.
  std::string MetricsText() const;

 private:
  struct Scored;
  Result<Scored> Score(const PredictProtocol& protocol, const std::string& body,
                       const std::optional<std::string>& strict_inputs, const Chosen& chosen,
                       const std::string& request_id) const;
  Status Log(const std::string& deployment, const std::string& request_id, const LoadedModel& model,
             const std::string& body, const Scored& scored, double seconds) const;
  void CountAnswer(const std::string& deployment, const LoadedModel& model, const Scored& scored,
                   double seconds) const;

  const ModelSource& models_;
  Monitoring& monitoring_;
  const MetricCode metric_code_;
};

}  // namespace kiln::serving
