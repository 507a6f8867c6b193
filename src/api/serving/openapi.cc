#include "api/serving/openapi.h"

#include "serving/rows_json.h"

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
          {"description",
           "One row: every model input. Other fields are ignored with a warning (refused with "
           "strict inputs)."},
          {"properties", std::move(properties)},
          {"required", std::move(required)},
          {"additionalProperties", true}};
}

// The native predict body: {"rows": [Row, ...]} or {"columns": [...], "data": [[...], ...]}.
json PredictRequest(const ml::ModelPackage& p) {
  json columns = json::array();
  for (const auto& [column, type] : p.signature) columns.push_back(column);
  const json rows = {{"type", "object"},
                     {"properties",
                      {{"rows",
                        {{"type", "array"},
                         {"items", {{"$ref", "#/components/schemas/Row"}}},
                         {"minItems", 1},
                         {"maxItems", serving::kMaxBatchRows}}}}},
                     {"required", {"rows"}}};
  const json split = {
      {"type", "object"},
      {"description",
       "pandas' split orientation: the values of each row in the order of 'columns' (the "
       "model's inputs in signature order when 'columns' is left out)."},
      {"properties",
       {{"columns", {{"type", "array"}, {"items", {{"type", "string"}}}, {"example", columns}}},
        {"data",
         {{"type", "array"},
          {"items", {{"type", "array"}, {"items", json::object()}}},
          {"minItems", 1},
          {"maxItems", serving::kMaxBatchRows}}}}},
      {"required", {"data"}}};
  return {{"oneOf", {rows, split}}};
}

json Warnings() {
  return {{"type", "array"},
          {"items", {{"type", "string"}}},
          {"description",
           "Present when fields were ignored or categories were not seen in training (encoded "
           "as all zeros, or missing for label-encoded columns)."}};
}

// The feedback body: one label ("label") or one per row of the request ("labels").
json FeedbackRequest(const ml::ModelPackage& p) {
  std::string classes;
  for (const std::string& c : p.classes) classes += (classes.empty() ? "" : ", ") + c;
  // Any JSON scalar: a label compares as text, so 1 and "1" name the same class.
  json label = p.is_classifier() ? json{{"description", "one of the model's classes: " + classes}}
                                 : json{{"type", "number"}};
  auto form = [&](const char* field, json schema) {
    return json{{"type", "object"},
                {"properties", {{"request_id", {{"type", "string"}}}, {field, std::move(schema)}}},
                {"required", {"request_id", field}}};
  };
  return {{"oneOf",
           {form("label", label),
            form("labels", {{"type", "array"}, {"items", label}, {"minItems", 1}})}}};
}

// The feedback answer: the deployment's live quality per model version.
json FeedbackAnswer() {
  const json quality = {{"type", "object"},
                        {"properties",
                         {{"model", {{"type", "string"}}},
                          {"version", {{"type", "integer"}}},
                          {"requests", {{"type", "integer"}}},
                          {"rows", {{"type", "integer"}}},
                          {"correct", {{"type", "integer"}}},
                          {"accuracy", {{"type", "number"}}},
                          {"rmse", {{"type", "number"}}},
                          {"mae", {{"type", "number"}}}}}};
  return {{"type", "object"},
          {"properties",
           {{"request_id", {{"type", "string"}}},
            {"quality", {{"type", "array"}, {"items", quality}}}}}};
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

json Responses(json schema, const char* description = "predictions") {
  json error = {{"$ref", "#/components/schemas/Error"}};
  return {{"200",
           {{"description", description},
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
  const json predict_answer = {
      {"type", "object"},
      {"properties",
       {{"request_id", {{"type", "string"}}},
        {"model",
         {{"type", "object"},
          {"properties", {{"name", {{"type", "string"}}}, {"version", {{"type", "integer"}}}}}}},
        {"predictions",
         {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Prediction"}}}}},
        {"warnings", Warnings()}}}};
  const json strict = {
      {"name", "strict_inputs"},
      {"in", "query"},
      {"required", false},
      {"description",
       "true: refuse (400) fields that are not model inputs and categories not seen in "
       "training, instead of ignoring / encoding them with a warning"},
      {"schema", {{"type", "boolean"}, {"default", false}}}};
  const std::string base = "/serve/" + name;
  return {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "Kiln deployment " + name},
        {"version", std::to_string(model.version)},
        {"description", "Serves " + model.name + " version " + std::to_string(model.version) +
                            " (" + p.flavor + ", " + p.task + ")."}}},
      {"paths",
       {{base + "/predict",
         {{"post",
           {{"summary", "Predict rows"},
            {"parameters", {strict}},
            {"requestBody", JsonBody(PredictRequest(p))},
            {"responses", Responses(predict_answer)}}}}},
        {base + "/invocations",
         {{"post",
           {{"summary",
             "MLflow scoring format (dataframe_split, dataframe_records, "
             "instances, inputs)"},
            {"parameters", {strict}},
            {"requestBody", JsonBody({{"type", "object"}})},
            {"responses",
             Responses({{"type", "object"},
                        {"properties",
                         {{"predictions", {{"type", "array"}}}, {"warnings", Warnings()}}}})}}}}},
        {base + "/feedback",
         {{"post",
           {{"summary", "The true label of a logged request (or one per row)"},
            {"requestBody", JsonBody(FeedbackRequest(p))},
            {"responses", Responses(FeedbackAnswer(),
                                    "feedback recorded; the "
                                    "deployment's live quality")}}}}}}},
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
