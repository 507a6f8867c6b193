#include "serving/predict_service.h"

#include <algorithm>
#include <chrono>

#include "common/ids.h"
#include "serving/drift_metrics.h"
#include "serving/prediction_text.h"
#include "serving/request_id.h"

namespace kiln::serving {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxWarnings = 20;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Whether the request is strict: a strict deployment is strict whatever the request says.
// Errors: kInvalidArgument for a value other than true/false.
Result<bool> StrictInputs(const std::optional<std::string>& asked, const InputPolicy& policy) {
  if (policy.strict_inputs || !asked || *asked == "false") return policy.strict_inputs;
  if (*asked == "true") return true;
  return InvalidArgument("'strict_inputs': '" + *asked + "' is not true or false");
}

// The warnings of an answer: fields ignored, then categories encoded as unseen (at most
// kMaxWarnings lines of each, then one saying there were more). Empty in the common case.
std::vector<std::string> Warnings(const ExtraFields& extra,
                                  const std::vector<ml::UnseenCategory>& unseen) {
  std::vector<std::string> out;
  if (extra.ignored.empty() && unseen.empty()) return out;  // the common case
  // Sorted: a fast path meets names in the body's order, the full parser in key order.
  std::vector<std::string> names = extra.ignored;
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    if (out.size() == kMaxWarnings) break;
    out.push_back("column '" + name + "' is not a model input and was ignored");
  }
  if (extra.unlisted || names.size() > out.size()) {
    out.push_back("more columns that are not model inputs were ignored");
  }
  size_t shown = 0;
  for (; shown < unseen.size() && out.size() < kMaxWarnings; ++shown) {
    out.push_back(ml::UnseenCategoryWarning(unseen[shown]));
  }
  if (shown < unseen.size()) {
    out.push_back(std::to_string(unseen.size() - shown) +
                  " more values not seen in training (encoded the same way)");
  }
  return out;
}

// Rows per predicted class, for the metrics (labels point into the package).
std::vector<ClassCount> ClassCounts(const ml::ModelPackage& package, const ml::Predictions& p) {
  std::vector<ClassCount> out;
  if (!package.is_classifier()) return out;
  std::vector<int64_t> counts(package.classes.size(), 0);
  for (size_t c : p.predicted) ++counts[c];
  for (size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] > 0) out.push_back({package.classes[c], counts[c]});
  }
  return out;
}

}  // namespace

// A scored request: the protocol's answer and what the log and the metrics keep.
struct PredictService::Scored {
  ml::Predictions predictions;
  std::string objects;  // JSON: one {"predicted", "probabilities"} per row
  std::string answer;
  int64_t ignored_fields = 0;
};

Result<Prediction> PredictService::Predict(const PredictProtocol& protocol,
                                           const std::string& deployment, const std::string& body,
                                           const std::optional<std::string>& strict_inputs) const {
  const Clock::time_point start = Clock::now();
  Result<Chosen> chosen = models_.Choose(deployment);
  if (!chosen.ok()) {
    // Only known deployments get a series, so a mistyped name cannot create one.
    if (chosen.status().code() != StatusCode::kNotFound) {
      monitoring_.metrics.Observe(deployment, kNoVersion, metric_code_(chosen.status().code()),
                                  SecondsSince(start), 0);
    }
    return chosen.status();
  }
  const LoadedModel& model = *chosen->model;
  std::string request_id = NewRequestId();
  Result<Scored> scored = Score(protocol, body, strict_inputs, *chosen, request_id);
  Status logged = scored.ok()
                      ? Log(deployment, request_id, model, body, *scored, SecondsSince(start))
                      : Status::Ok();
  if (!scored.ok() || !logged.ok()) {
    // An answer that is not in the log is not given: the client may retry.
    Status error =
        !scored.ok() ? scored.status() : Unavailable("cannot log the request: " + logged.message());
    monitoring_.metrics.Observe(deployment, model.version, metric_code_(error.code()),
                                SecondsSince(start), 0);
    return error;
  }
  CountAnswer(deployment, model, *scored, SecondsSince(start));
  return Prediction{std::move(scored->answer), std::move(request_id), std::move(chosen->model)};
}

Result<PredictService::Scored> PredictService::Score(
    const PredictProtocol& protocol, const std::string& body,
    const std::optional<std::string>& strict_inputs, const Chosen& chosen,
    const std::string& request_id) const {
  const LoadedModel& model = *chosen.model;
  KILN_ASSIGN_OR_RETURN(bool strict, StrictInputs(strict_inputs, chosen.policy));
  KILN_ASSIGN_OR_RETURN(PredictRows parsed, protocol.Read(body, model.package(), strict));
  Scored out;
  KILN_ASSIGN_OR_RETURN(out.predictions, model.predictor->Predict(parsed.rows));
  const std::vector<ml::UnseenCategory>& unseen = out.predictions.unseen;
  if (strict && !unseen.empty()) return ml::UnseenCategoryError(unseen.front());
  if (model.drift) {
    model.drift->Observe(parsed.rows);
    if (!unseen.empty()) model.drift->ObserveUnseen(unseen);
  }
  out.ignored_fields = static_cast<int64_t>(parsed.extra.ignored.size());
  out.objects = PredictionObjectsText(model.package(), out.predictions);
  const std::vector<std::string> warnings = Warnings(parsed.extra, unseen);
  out.answer = protocol.Answer(
      ScoredRequest{model, parsed, out.predictions, out.objects, request_id, warnings});
  return out;
}

Status PredictService::Log(const std::string& deployment, const std::string& request_id,
                           const LoadedModel& model, const std::string& body, const Scored& scored,
                           double seconds) const {
  if (monitoring_.log == nullptr) return Status::Ok();
  LoggedRequest entry;
  entry.request_id = request_id;
  entry.time_ms = NowMillis();
  entry.deployment = deployment;
  entry.model = model.name;
  entry.version = model.version;
  entry.inputs_json = body;
  entry.outputs_json = scored.objects;
  entry.latency_ms = seconds * 1000;
  return monitoring_.log->Append(entry);
}

void PredictService::CountAnswer(const std::string& deployment, const LoadedModel& model,
                                 const Scored& scored, double seconds) const {
  const std::vector<ClassCount> classes = ClassCounts(model.package(), scored.predictions);
  monitoring_.metrics.Observe(deployment, model.version, metric_code_(StatusCode::kOk), seconds,
                              static_cast<int64_t>(scored.predictions.rows()), classes);
  const auto unseen = static_cast<int64_t>(scored.predictions.unseen.size());
  if (scored.ignored_fields != 0 || unseen != 0) {
    monitoring_.metrics.Series(deployment, model.version)
        .CountInputIssues(scored.ignored_fields, unseen);
  }
}

Result<std::vector<VersionQuality>> PredictService::AddFeedback(
    const std::string& deployment, const std::string& request_id,
    const std::string& labels_json) const {
  KILN_ASSIGN_OR_RETURN(RequestLog * log, monitoring_.Log());
  KILN_RETURN_IF_ERROR(log->AddFeedback(deployment, request_id, labels_json));
  return log->Quality(deployment);
}

std::string PredictService::MetricsText() const {
  DriftFamilies drift;
  for (const LiveModel& live : models_.Live()) {
    if (live.model->drift) {
      drift.Append(live.deployment, live.model->version,
                   live.model->drift->Report(live.policy.drift_min_rows));
    }
  }
  return monitoring_.metrics.RenderPrometheus(std::move(drift).Take());
}

}  // namespace kiln::serving
