#include "api/serving/predict_routes.h"

#include <algorithm>
#include <atomic>
#include <boost/beast/core/string.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "api/endpoint.h"
#include "api/error_mapping.h"
#include "api/request_args.h"
#include "api/serving/formats.h"
#include "api/serving/openapi.h"
#include "api/v1/deployment_render.h"
#include "common/ids.h"
#include "serving/drift_metrics.h"
#include "serving/request_id.h"
#include "serving/rows_fast.h"

namespace kiln::api::serving_api {
namespace {

using nlohmann::json;

enum class Protocol { kNative, kMlflow, kKserve };

constexpr int kMaxDepth = 32;
// A full batch (serving::kMaxBatchRows rows) of up to 200 features, in any protocol's layout:
// parsing a body costs ~50-100 bytes per value, so this bounds it to ~200 MB.
constexpr size_t kMaxValues = 200 * serving::kMaxBatchRows;

// MLflow's scoring server takes JSON and CSV bodies and answers 415 to anything else; so do
// these routes (a CSV body is then refused as not JSON, as before).
std::optional<http::Response> RefuseUnsupportedMedia(const http::Request& request) {
  const std::string_view content_type = ContentTypeOf(request);
  if (IsJsonContentType(content_type)) return std::nullopt;
  if (boost::beast::iequals(MediaType(content_type), "text/csv")) return std::nullopt;
  if (content_type.empty() && request.body.empty()) return std::nullopt;
  return http::Response::Error(
      415, "BAD_REQUEST",
      "Unsupported media type '" + std::string(content_type) +
          "': prediction routes accept application/json (and text/csv where MLflow does)");
}

Result<json> ParseBody(const http::Request& request) {
  const JsonShape shape = ScanJson(request.body);
  if (shape.depth > kMaxDepth) {
    return InvalidArgument("the body nests deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  if (shape.values > kMaxValues) {
    return InvalidArgument("the body holds more than " + std::to_string(kMaxValues) +
                           " JSON values; send at most " + std::to_string(serving::kMaxBatchRows) +
                           " rows per request");
  }
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return InvalidArgument("the body is not valid JSON");
  return body;
}

Result<ml::Table> ParseRows(Protocol protocol, const json& body, const ml::ModelPackage& p,
                            serving::ExtraFields& extra) {
  switch (protocol) {
    case Protocol::kNative:
      return ParseNative(body, p.signature, extra);
    case Protocol::kMlflow:
      return ParseMlflow(body, p.signature, extra);
    case Protocol::kKserve:
      return ParseKserve(body, p.signature, extra);
  }
  return InvalidArgument("unknown protocol");
}

// A request's rows, its JSON body when the full parser ran (null otherwise), and the fields it
// sent that are not model inputs.
struct ParsedRequest {
  ml::Table rows;
  json body;
  serving::ExtraFields extra;
};

// Native bodies try the DOM-free fast path first; whatever it declines (including every
// invalid body) goes through the full parser, which gives the errors.
Result<ParsedRequest> ParseRequestRows(Protocol protocol, const http::Request& request,
                                       const ml::ModelPackage& package, bool strict) {
  serving::ExtraFields extra{strict, {}};
  if (protocol == Protocol::kNative) {
    std::optional<ml::Table> rows =
        serving::FastTableFromNativeRows(request.body, package.signature, extra);
    if (rows) return ParsedRequest{std::move(*rows), json(), std::move(extra)};
    extra.ignored.clear();
  }
  KILN_ASSIGN_OR_RETURN(json body, ParseBody(request));
  KILN_ASSIGN_OR_RETURN(ml::Table rows, ParseRows(protocol, body, package, extra));
  return ParsedRequest{std::move(rows), std::move(body), std::move(extra)};
}

// Whether the request asks for strict inputs (?strict_inputs=true); a strict deployment is
// strict whatever the request says. Errors: kInvalidArgument for a value other than true/false.
Result<bool> StrictInputs(const http::Request& request, const serving::InputPolicy& policy) {
  if (policy.strict_inputs || request.query.empty()) return policy.strict_inputs;
  const std::optional<std::string> asked = request.QueryParam("strict_inputs");
  if (!asked || *asked == "false") return false;
  if (*asked == "true") return true;
  return InvalidArgument("'strict_inputs': '" + *asked + "' is not true or false");
}

constexpr size_t kMaxWarnings = 20;

// The warnings of an answer: fields ignored, then categories encoded as unseen (at most
// kMaxWarnings lines of each, then one saying there were more). Empty in the common case.
std::vector<std::string> Warnings(const serving::ExtraFields& extra,
                                  const std::vector<ml::UnseenCategory>& unseen) {
  std::vector<std::string> out;
  if (extra.ignored.empty() && unseen.empty()) return out;  // the common case
  // Sorted: the fast path meets names in the body's order, the full parser in key order.
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

// A parsed and scored request: the protocol's answer and what the request log keeps.
struct Scored {
  ml::Predictions predictions;
  std::string objects;  // JSON: one {"predicted", "probabilities"} per row
  std::string answer;   // JSON
  int64_t ignored_fields = 0;
};

// {"model": {"name", "version"}, "predictions": [...], "request_id"[, "warnings"]}, as text.
std::string NativeAnswer(const serving::LoadedModel& model, const std::string& objects,
                         const std::string& request_id, const std::vector<std::string>& warnings) {
  std::string out = "{\"model\":{\"name\":";
  AppendJsonString(out, model.name);
  out += ",\"version\":" + std::to_string(model.version) + "},\"predictions\":";
  out += objects;
  out += ",\"request_id\":";
  AppendJsonString(out, request_id);
  if (!warnings.empty()) {
    out += ",\"warnings\":[";
    for (size_t i = 0; i < warnings.size(); ++i) {
      if (i > 0) out += ',';
      AppendJsonString(out, warnings[i]);
    }
    out += ']';
  }
  out += '}';
  return out;
}

// The protocol's answer to a scored request.
std::string AnswerText(Protocol protocol, const serving::LoadedModel& model, const json& body,
                       const Scored& scored, const std::string& request_id,
                       const std::vector<std::string>& warnings) {
  switch (protocol) {
    case Protocol::kNative:
      return NativeAnswer(model, scored.objects, request_id, warnings);
    case Protocol::kMlflow: {
      json answer = MlflowAnswer(model.package(), scored.predictions);
      if (!warnings.empty()) answer["warnings"] = warnings;
      return answer.dump();
    }
    case Protocol::kKserve:
      break;
  }
  json answer = {{"model_name", model.name},
                 {"model_version", std::to_string(model.version)},
                 {"id", request_id},
                 {"outputs", KserveOutputs(model.package(), scored.predictions)}};
  if (body.contains("id") && body["id"].is_string()) {
    answer["id"] = body["id"];
    answer["parameters"] = {{"request_id", request_id}};
  }
  if (!warnings.empty()) answer["parameters"]["warnings"] = warnings;
  return answer.dump();
}

Result<Scored> Score(Protocol protocol, const http::Request& request, const serving::Chosen& chosen,
                     const std::string& request_id) {
  const serving::LoadedModel& model = *chosen.model;
  KILN_ASSIGN_OR_RETURN(bool strict, StrictInputs(request, chosen.policy));
  KILN_ASSIGN_OR_RETURN(ParsedRequest parsed,
                        ParseRequestRows(protocol, request, model.package(), strict));
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
  out.answer =
      AnswerText(protocol, model, parsed.body, out, request_id, Warnings(parsed.extra, unseen));
  return out;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Rows per predicted class, for the metrics (labels point into the package).
std::vector<serving::ClassCount> ClassCounts(const ml::ModelPackage& package,
                                             const ml::Predictions& p) {
  std::vector<serving::ClassCount> out;
  if (!package.is_classifier()) return out;
  std::vector<int64_t> counts(package.classes.size(), 0);
  for (size_t c : p.predicted) ++counts[c];
  for (size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] > 0) out.push_back({package.classes[c], counts[c]});
  }
  return out;
}

// Appends the answered request to the log (if this process keeps one).
Status LogRequest(ServingContext& s, const std::string& deployment, const std::string& id,
                  const serving::LoadedModel& model, const http::Request& request,
                  const Scored& scored, double seconds) {
  if (s.monitoring.log == nullptr) return Status::Ok();
  serving::LoggedRequest entry;
  entry.request_id = id;
  entry.time_ms = NowMillis();
  entry.deployment = deployment;
  entry.model = model.name;
  entry.version = model.version;
  entry.inputs_json = request.body;
  entry.outputs_json = scored.objects;
  entry.latency_ms = seconds * 1000;
  return s.monitoring.log->Append(entry);
}

http::Response Predict(ServingContext& s, http::Request& request, Protocol protocol) {
  if (std::optional<http::Response> refusal = RefuseUnsupportedMedia(request)) return *refusal;
  const auto start = std::chrono::steady_clock::now();
  const std::string name = request.path_params["name"];
  Result<serving::Chosen> chosen = s.models.Choose(name);
  if (!chosen.ok()) {
    http::Response error = ErrorResponse(chosen.status());
    // Only known deployments get a series, so a mistyped name cannot create one.
    if (chosen.status().code() != StatusCode::kNotFound) {
      s.monitoring.metrics.Observe(name, serving::kNoVersion, error.status, SecondsSince(start), 0);
    }
    return error;
  }
  const serving::LoadedModel& model = *chosen->model;
  const std::string request_id = serving::NewRequestId();
  Result<Scored> scored = Score(protocol, request, *chosen, request_id);
  Status logged =
      scored.ok() ? LogRequest(s, name, request_id, model, request, *scored, SecondsSince(start))
                  : Status::Ok();
  if (!scored.ok() || !logged.ok()) {
    // An answer that is not in the log is not given: the client may retry.
    http::Response error =
        !scored.ok() ? ErrorResponse(scored.status())
                     : ErrorResponse(Unavailable("cannot log the request: " + logged.message()));
    s.monitoring.metrics.Observe(name, model.version, error.status, SecondsSince(start), 0);
    return error;
  }
  const std::vector<serving::ClassCount> classes =
      ClassCounts(model.package(), scored->predictions);
  s.monitoring.metrics.Observe(name, model.version, 200, SecondsSince(start),
                               static_cast<int64_t>(scored->predictions.rows()), classes);
  const auto unseen = static_cast<int64_t>(scored->predictions.unseen.size());
  if (scored->ignored_fields != 0 || unseen != 0) {
    s.monitoring.metrics.Series(name, model.version)
        .CountInputIssues(scored->ignored_fields, unseen);
  }
  http::Response response = http::Response::Json(200, std::move(scored->answer));
  response.headers.emplace_back("X-Request-Id", request_id);
  response.headers.emplace_back("X-Model-Version",
                                model.name + "/" + std::to_string(model.version));
  return response;
}

// POST /serve/{name}/feedback {"request_id", "label"} (or "labels": one per row).
http::Response Feedback(ServingContext& s, http::Request& request) {
  if (std::optional<http::Response> refusal = RefuseNonJsonBody(request)) return *refusal;
  const std::string name = request.path_params["name"];
  auto answer = [&]() -> Result<json> {
    KILN_ASSIGN_OR_RETURN(serving::RequestLog * log, s.monitoring.Log());
    KILN_ASSIGN_OR_RETURN(json body, ParseBody(request));
    if (!body.is_object() || !body.contains("request_id") || !body["request_id"].is_string()) {
      return InvalidArgument("'request_id' (a string) is required");
    }
    if (body.contains("label") == body.contains("labels")) {
      return InvalidArgument("give exactly one of 'label' (one row) and 'labels' (one per row)");
    }
    const std::string id = body["request_id"].get<std::string>();
    const json& labels = body.contains("label") ? body["label"] : body["labels"];
    KILN_RETURN_IF_ERROR(log->AddFeedback(name, id, labels.dump()));
    return json{{"request_id", id}, {"quality", v1::RenderQuality(log->Quality(name))}};
  }();
  if (!answer.ok()) return ErrorResponse(answer.status());
  return http::Response::Json(200, answer->dump());
}

http::Response Metrics(ServingContext& s) {
  http::Response response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  serving::DriftFamilies drift;
  for (const serving::LiveModel& live : s.models.Live()) {
    if (live.model->drift) {
      drift.Append(live.deployment, live.model->version,
                   live.model->drift->Report(live.policy.drift_min_rows));
    }
  }
  response.body = s.monitoring.metrics.RenderPrometheus(std::move(drift).Take());
  return response;
}

Result<json> ModelMetadata(ServingContext& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
  KILN_ASSIGN_OR_RETURN(serving::Chosen chosen, s.models.Choose(name));
  const ml::ModelPackage& p = chosen.model->package();
  json inputs = json::array();
  for (const auto& [column, type] : p.signature) {
    const char* datatype = type == "string"  ? "BYTES"
                           : type == "bool"  ? "BOOL"
                           : type == "int64" ? "INT64"
                                             : "FP64";
    inputs.push_back({{"name", column}, {"datatype", datatype}, {"shape", {-1}}});
  }
  json outputs = json::array({{{"name", "predicted"},
                               {"datatype", p.is_classifier() ? "BYTES" : "FP64"},
                               {"shape", {-1}}}});
  if (p.is_classifier()) {
    outputs.push_back({{"name", "probabilities"},
                       {"datatype", "FP32"},
                       {"shape", {-1, static_cast<int64_t>(p.classes.size())}}});
  }
  return json{{"name", name},
              {"versions", {std::to_string(chosen.model->version)}},
              {"platform", "kiln-" + p.flavor},
              {"inputs", std::move(inputs)},
              {"outputs", std::move(outputs)}};
}

Result<json> ServerReady(ServingContext& s) {
  KILN_RETURN_IF_ERROR(s.models.Ready());
  return json{{"ready", true}};
}

Result<json> ModelReady(ServingContext& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
  KILN_RETURN_IF_ERROR(s.models.Choose(name).status());
  return json{{"name", name}, {"ready", true}};
}

http::Response OpenApi(ServingContext& s, http::Request& request) {
  const std::string name = request.path_params["name"];
  Result<serving::Chosen> chosen = s.models.Choose(name);
  if (!chosen.ok()) return ErrorResponse(chosen.status());
  return http::Response::Json(200, OpenApiDocument(name, *chosen->model).dump(1));
}

}  // namespace

void AddPredictRoutes(http::Router& router, ServingContext& s) {
  router.Add("POST", "/serve/{name}/predict", kViewer,
             [&s](http::Request& r) { return Predict(s, r, Protocol::kNative); });
  router.Add("POST", "/serve/{name}/invocations", kViewer,
             [&s](http::Request& r) { return Predict(s, r, Protocol::kMlflow); });
  router.Add("POST", "/v2/models/{name}/infer", kViewer,
             [&s](http::Request& r) { return Predict(s, r, Protocol::kKserve); });
  router.Add("POST", "/serve/{name}/feedback", kRunner,
             [&s](http::Request& r) { return Feedback(s, r); });
  router.Add("GET", "/metrics", kViewer, [&s](http::Request&) { return Metrics(s); });
  router.Add("GET", "/serve/{name}/openapi.json", kViewer,
             [&s](http::Request& r) { return OpenApi(s, r); });
  router.Add("GET", "/v2/health/live", kPublic,
             JsonEndpoint([](const RequestContext&, const RequestArgs&) -> Result<json> {
               return json{{"live", true}};
             }));
  router.Add(
      "GET", "/v2/health/ready", kPublic,
      JsonEndpoint([&s](const RequestContext&, const RequestArgs&) { return ServerReady(s); }));
  router.Add("GET", "/v2/models/{name}", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return ModelMetadata(s, args);
             }));
  router.Add("GET", "/v2/models/{name}/ready", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return ModelReady(s, args);
             }));
}

}  // namespace kiln::api::serving_api
