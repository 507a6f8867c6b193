#include "api/serving/predict_routes.h"

#include <atomic>
#include <chrono>
#include <string>

#include "api/endpoint.h"
#include "api/error_mapping.h"
#include "api/request_args.h"
#include "api/serving/formats.h"
#include "api/serving/openapi.h"
#include "common/ids.h"

namespace kiln::api::serving_api {
namespace {

using nlohmann::json;

enum class Protocol { kNative, kMlflow, kKserve };

constexpr int kMaxDepth = 32;

// A request id: the time in ms, then a process-wide counter, both hex (unique within a process
// and sortable; the random prefix keeps processes apart).
std::string NewRequestId() {
  static const std::string prefix = NewHexId().substr(0, 8);
  static std::atomic<uint64_t> counter{0};
  char buf[64];
  snprintf(buf, sizeof(buf), "%011llx-%s-%06llx", static_cast<unsigned long long>(NowMillis()),
           prefix.c_str(),
           static_cast<unsigned long long>(counter.fetch_add(1, std::memory_order_relaxed)));
  return buf;
}

Result<json> ParseBody(const http::Request& request) {
  if (JsonDepth(request.body) > kMaxDepth) {
    return InvalidArgument("the body nests deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return InvalidArgument("the body is not valid JSON");
  return body;
}

Result<ml::Table> ParseRows(Protocol protocol, const json& body, const ml::ModelPackage& p) {
  switch (protocol) {
    case Protocol::kNative:
      return ParseNative(body, p.signature);
    case Protocol::kMlflow:
      return ParseMlflow(body, p.signature);
    case Protocol::kKserve:
      return ParseKserve(body, p.signature);
  }
  return InvalidArgument("unknown protocol");
}

json Answer(Protocol protocol, const serving::LoadedModel& model, const ml::Predictions& p,
            const std::string& request_id, const json& body) {
  switch (protocol) {
    case Protocol::kNative:
      return {{"request_id", request_id},
              {"model", {{"name", model.name}, {"version", model.version}}},
              {"predictions", PredictionObjects(model.package(), p)}};
    case Protocol::kMlflow:
      return MlflowAnswer(model.package(), p);
    case Protocol::kKserve: {
      json answer = {{"model_name", model.name},
                     {"model_version", std::to_string(model.version)},
                     {"id", request_id},
                     {"outputs", KserveOutputs(model.package(), p)}};
      if (body.contains("id") && body["id"].is_string()) {
        answer["id"] = body["id"];
        answer["parameters"] = {{"request_id", request_id}};
      }
      return answer;
    }
  }
  return json::object();
}

http::Response Predict(ServingContext& s, http::Request& request, Protocol protocol) {
  const std::string name = request.path_params["name"];
  Result<serving::Chosen> chosen = s.models.Choose(name);
  if (!chosen.ok()) return ErrorResponse(chosen.status());
  Result<json> body = ParseBody(request);
  if (!body.ok()) return ErrorResponse(body.status());
  const serving::LoadedModel& model = *chosen->model;
  Result<ml::Table> rows = ParseRows(protocol, *body, model.package());
  if (!rows.ok()) return ErrorResponse(rows.status());
  Result<ml::Predictions> predictions = model.predictor->Predict(*rows);
  if (!predictions.ok()) return ErrorResponse(predictions.status());
  const std::string request_id = NewRequestId();
  http::Response response =
      http::Response::Json(200, Answer(protocol, model, *predictions, request_id, *body).dump());
  response.headers.emplace_back("X-Request-Id", request_id);
  response.headers.emplace_back("X-Model-Version",
                                model.name + "/" + std::to_string(model.version));
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
  router.Add("POST", "/serve/{name}/predict",
             [&s](http::Request& r) { return Predict(s, r, Protocol::kNative); });
  router.Add("POST", "/serve/{name}/invocations",
             [&s](http::Request& r) { return Predict(s, r, Protocol::kMlflow); });
  router.Add("POST", "/v2/models/{name}/infer",
             [&s](http::Request& r) { return Predict(s, r, Protocol::kKserve); });
  router.Add("GET", "/serve/{name}/openapi.json", [&s](http::Request& r) { return OpenApi(s, r); });
  router.Add("GET", "/v2/health/live", JsonEndpoint([](const RequestArgs&) -> Result<json> {
               return json{{"live", true}};
             }));
  router.Add("GET", "/v2/health/ready",
             JsonEndpoint([&s](const RequestArgs&) { return ServerReady(s); }));
  router.Add("GET", "/v2/models/{name}",
             JsonEndpoint([&s](const RequestArgs& args) { return ModelMetadata(s, args); }));
  router.Add("GET", "/v2/models/{name}/ready",
             JsonEndpoint([&s](const RequestArgs& args) { return ModelReady(s, args); }));
}

}  // namespace kiln::api::serving_api
