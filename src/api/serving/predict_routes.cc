#include "api/serving/predict_routes.h"

#include <boost/beast/core/string.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/endpoint.h"
#include "api/error_mapping.h"
#include "api/request_args.h"
#include "api/serving/openapi.h"
#include "api/serving/protocols.h"
#include "api/v1/deployment_render.h"

namespace kiln::api::serving_api {
namespace {

using nlohmann::json;

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

http::Response Predict(ServingContext& s, http::Request& request,
                       const serving::PredictProtocol& protocol) {
  if (std::optional<http::Response> refusal = RefuseUnsupportedMedia(request)) return *refusal;
  const std::optional<std::string> strict =
      request.query.empty() ? std::nullopt : request.QueryParam("strict_inputs");
  Result<serving::Prediction> prediction =
      s.predict.Predict(protocol, request.path_params["name"], request.body, strict);
  if (!prediction.ok()) return ErrorResponse(prediction.status());
  const serving::LoadedModel& model = *prediction->model;
  http::Response response = http::Response::Json(200, std::move(prediction->answer));
  response.headers.emplace_back("X-Request-Id", std::move(prediction->request_id));
  response.headers.emplace_back("X-Model-Version",
                                model.name + "/" + std::to_string(model.version));
  return response;
}

// POST /serve/{name}/feedback {"request_id", "label"} (or "labels": one per row).
http::Response Feedback(ServingContext& s, http::Request& request) {
  if (std::optional<http::Response> refusal = RefuseNonJsonBody(request)) return *refusal;
  const std::string name = request.path_params["name"];
  auto answer = [&]() -> Result<json> {
    // A process without a log says so before judging the body.
    KILN_RETURN_IF_ERROR(s.predict.KeepsLog());
    KILN_ASSIGN_OR_RETURN(json body, ParsePredictBody(request.body));
    if (!body.is_object() || !body.contains("request_id") || !body["request_id"].is_string()) {
      return InvalidArgument("'request_id' (a string) is required");
    }
    if (body.contains("label") == body.contains("labels")) {
      return InvalidArgument("give exactly one of 'label' (one row) and 'labels' (one per row)");
    }
    const std::string id = body["request_id"].get<std::string>();
    const json& labels = body.contains("label") ? body["label"] : body["labels"];
    KILN_ASSIGN_OR_RETURN(std::vector<serving::VersionQuality> quality,
                          s.predict.AddFeedback(name, id, labels.dump()));
    return json{{"request_id", id}, {"quality", v1::RenderQuality(quality)}};
  }();
  if (!answer.ok()) return ErrorResponse(answer.status());
  return http::Response::Json(200, answer->dump());
}

http::Response Metrics(ServingContext& s) {
  http::Response response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = s.predict.MetricsText();
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

int HttpStatusOf(StatusCode code) { return MapStatus(code).http_status; }

}  // namespace

ServingContext::ServingContext(serving::ModelSource& models, serving::Monitoring& monitoring)
    : models(models), monitoring(monitoring), predict(models, monitoring, HttpStatusOf) {}

void AddPredictRoutes(http::Router& router, ServingContext& s) {
  router.Add(
      "POST", "/serve/{name}/predict", kViewer,
      [&s, &protocol = NativeProtocol()](http::Request& r) { return Predict(s, r, protocol); });
  router.Add(
      "POST", "/serve/{name}/invocations", kViewer,
      [&s, &protocol = MlflowProtocol()](http::Request& r) { return Predict(s, r, protocol); });
  router.Add(
      "POST", "/v2/models/{name}/infer", kViewer,
      [&s, &protocol = KserveProtocol()](http::Request& r) { return Predict(s, r, protocol); });
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
