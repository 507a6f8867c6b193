#include "api/serving/openapi.h"

namespace kiln::api::serving_api {
namespace {

using nlohmann::json;

json ValueSchema(const std::string& type) {
  if (type == "string") return {{"type", "string"}, {"nullable", true}};
  if (type == "bool") return {{"type", "boolean"}, {"nullable", true}};
  if (type == "int64") return {{"type", "integer"}, {"format", "int64"}, {"nullable", true}};
  return {{"type", "number"}, {"format", "double"}, {"nullable", true}};
}

json RowSchema(const ml::ModelPackage& p) {
  json properties = json::object();
  json required = json::array();
  for (const auto& [column, type] : p.signature) {
    properties[column] = ValueSchema(type);
    required.push_back(column);
  }
  return {{"type", "object"},
          {"properties", std::move(properties)},
          {"required", std::move(required)},
          {"additionalProperties", false}};
}

json PredictionSchema(const ml::ModelPackage& p) {
  if (!p.is_classifier()) {
    return {{"type", "object"}, {"properties", {{"predicted", {{"type", "number"}}}}}};
  }
  json probabilities = json::object();
  for (const std::string& c : p.classes) probabilities[c] = {{"type", "number"}};
  return {{"type", "object"},
          {"properties",
           {{"predicted", {{"type", "string"}, {"enum", p.classes}}},
            {"probabilities", {{"type", "object"}, {"properties", probabilities}}}}}};
}

json JsonBody(json schema) {
  return {{"required", true}, {"content", {{"application/json", {{"schema", std::move(schema)}}}}}};
}

json Responses(json schema) {
  json error = {{"$ref", "#/components/schemas/Error"}};
  return {{"200",
           {{"description", "predictions"},
            {"content", {{"application/json", {{"schema", std::move(schema)}}}}}}},
          {"400",
           {{"description", "a bad request; the message names the field, row or feature"},
            {"content", {{"application/json", {{"schema", error}}}}}}},
          {"404", {{"description", "no such deployment"}}},
          {"503", {{"description", "the deployment has no model loaded yet"}}}};
}

}  // namespace

json OpenApiDocument(const std::string& name, const serving::LoadedModel& model) {
  const ml::ModelPackage& p = model.package();
  const json row = {{"$ref", "#/components/schemas/Row"}};
  const json predict_request = {
      {"type", "object"},
      {"properties", {{"rows", {{"type", "array"}, {"items", row}, {"minItems", 1}}}}},
      {"required", {"rows"}}};
  const json predict_answer = {
      {"type", "object"},
      {"properties",
       {{"request_id", {{"type", "string"}}},
        {"model",
         {{"type", "object"},
          {"properties", {{"name", {{"type", "string"}}}, {"version", {{"type", "integer"}}}}}}},
        {"predictions",
         {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Prediction"}}}}}}}};
  const json feedback = {
      {"type", "object"},
      {"properties", {{"request_id", {{"type", "string"}}}, {"label", json::object()}}},
      {"required", {"request_id", "label"}}};
  const std::string base = "/serve/" + name;
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "Kiln deployment " + name},
            {"version", std::to_string(model.version)},
            {"description", "Serves " + model.name + " version " + std::to_string(model.version) +
                                " (" + p.flavor + ", " + p.task + ")."}}},
          {"paths",
           {{base + "/predict",
             {{"post",
               {{"summary", "Predict rows"},
                {"requestBody", JsonBody(predict_request)},
                {"responses", Responses(predict_answer)}}}}},
            {base + "/invocations",
             {{"post",
               {{"summary",
                 "MLflow scoring format (dataframe_split, dataframe_records, "
                 "instances, inputs)"},
                {"requestBody", JsonBody({{"type", "object"}})},
                {"responses", Responses({{"type", "object"}})}}}}},
            {base + "/feedback",
             {{"post",
               {{"summary", "The true label of a logged request"},
                {"requestBody", JsonBody(feedback)},
                {"responses", Responses({{"type", "object"}})}}}}}}},
          {"components",
           {{"schemas",
             {{"Row", RowSchema(p)},
              {"Prediction", PredictionSchema(p)},
              {"Error",
               {{"type", "object"},
                {"properties",
                 {{"error_code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}}}};
}

}  // namespace kiln::api::serving_api
