#include "api/serving/formats.h"

#include <vector>

namespace kiln::api::serving_api {
namespace {

using kiln::serving::ColumnNames;
using kiln::serving::ExtraFields;
using kiln::serving::Signature;
using kiln::serving::TableFromColumns;
using kiln::serving::TableFromRecords;
using kiln::serving::TableFromSplit;
using nlohmann::json;

Status NotAnObject() { return InvalidArgument("the body must be a JSON object"); }

// Row objects, value lists or {col: [values]}: the shapes MLflow's instances/inputs take.
Result<ml::Table> ParseInstances(const json& value, const Signature& sig, const std::string& field,
                                 ExtraFields& extra) {
  if (value.is_object()) {
    std::vector<std::pair<std::string, const json*>> columns;
    for (auto it = value.begin(); it != value.end(); ++it) columns.emplace_back(it.key(), &*it);
    return TableFromColumns(columns, sig, field, extra);
  }
  if (value.is_array() && !value.empty() && value[0].is_array()) {
    return TableFromSplit({}, value, sig, field, extra);
  }
  return TableFromRecords(value, sig, field, extra);
}

// The values of a KServe tensor as rows x width (flat or nested data).
Result<json> TensorRows(const json& tensor, size_t index, size_t width) {
  const std::string where = "inputs[" + std::to_string(index) + "]";
  if (!tensor.contains("data") || !tensor["data"].is_array()) {
    return InvalidArgument(where + ".data must be a list");
  }
  json flat = json::array();
  for (const json& v : tensor["data"]) {
    if (v.is_array()) {
      for (const json& inner : v) flat.push_back(inner);
    } else {
      flat.push_back(v);
    }
  }
  if (width == 0 || flat.size() % width != 0) {
    return InvalidArgument(where + ".data holds " + std::to_string(flat.size()) +
                           " values, not a multiple of " + std::to_string(width));
  }
  if (tensor.contains("shape") && tensor["shape"].is_array() && !tensor["shape"].empty() &&
      tensor["shape"][0].is_number_integer() &&
      tensor["shape"][0].get<int64_t>() != static_cast<int64_t>(flat.size() / width)) {
    return InvalidArgument(where + ".shape does not match its data");
  }
  json rows = json::array();
  for (size_t r = 0; r < flat.size() / width; ++r) {
    rows.push_back(json(flat.begin() + static_cast<std::ptrdiff_t>(r * width),
                        flat.begin() + static_cast<std::ptrdiff_t>((r + 1) * width)));
  }
  return rows;
}

}  // namespace

Result<ml::Table> ParseNative(const json& body, const Signature& sig, ExtraFields& extra) {
  if (!body.is_object()) return NotAnObject();
  if (body.contains("rows")) return TableFromRecords(body["rows"], sig, "rows", extra);
  if (body.contains("data")) {
    std::vector<std::string> columns;
    if (body.contains("columns")) {
      KILN_ASSIGN_OR_RETURN(columns, ColumnNames(body["columns"], "columns"));
    }
    return TableFromSplit(columns, body["data"], sig, "data", extra);
  }
  return InvalidArgument("give 'rows' (a list of row objects) or 'columns' and 'data'");
}

Result<ml::Table> ParseMlflow(const json& body, const Signature& sig, ExtraFields& extra) {
  if (!body.is_object()) return NotAnObject();
  if (body.contains("dataframe_split")) {
    const json& split = body["dataframe_split"];
    if (!split.is_object()) return InvalidArgument("'dataframe_split' must be an object");
    std::vector<std::string> columns;
    if (split.contains("columns")) {
      KILN_ASSIGN_OR_RETURN(columns, ColumnNames(split["columns"], "dataframe_split.columns"));
    }
    if (!split.contains("data")) return InvalidArgument("'dataframe_split.data' is missing");
    return TableFromSplit(columns, split["data"], sig, "dataframe_split.data", extra);
  }
  if (body.contains("dataframe_records")) {
    return TableFromRecords(body["dataframe_records"], sig, "dataframe_records", extra);
  }
  for (const char* key : {"instances", "inputs"}) {
    if (body.contains(key)) return ParseInstances(body[key], sig, key, extra);
  }
  return InvalidArgument(
      "give one of 'dataframe_split', 'dataframe_records', 'instances' or 'inputs'");
}

Result<ml::Table> ParseKserve(const json& body, const Signature& sig, ExtraFields& extra) {
  if (!body.is_object()) return NotAnObject();
  if (!body.contains("inputs") || !body["inputs"].is_array() || body["inputs"].empty()) {
    return InvalidArgument("'inputs' must be a non-empty list of tensors");
  }
  const json& inputs = body["inputs"];
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].is_object() || !inputs[i].contains("name") || !inputs[i]["name"].is_string()) {
      return InvalidArgument("inputs[" + std::to_string(i) + "] needs a 'name'");
    }
  }
  if (inputs.size() == 1 && sig.size() > 1) {  // one [N, F] tensor in signature order
    KILN_ASSIGN_OR_RETURN(json rows, TensorRows(inputs[0], 0, sig.size()));
    return TableFromSplit({}, rows, sig, "inputs[0].data", extra);
  }
  std::vector<json> values;
  values.reserve(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    KILN_ASSIGN_OR_RETURN(json rows, TensorRows(inputs[i], i, 1));
    json column = json::array();
    for (json& row : rows) column.push_back(std::move(row[0]));
    values.push_back(std::move(column));
  }
  std::vector<std::pair<std::string, const json*>> columns;
  for (size_t i = 0; i < inputs.size(); ++i) {
    columns.emplace_back(inputs[i]["name"].get<std::string>(), &values[i]);
  }
  return TableFromColumns(columns, sig, "inputs", extra);
}

json MlflowAnswer(const ml::ModelPackage& package, const ml::Predictions& p) {
  json predictions = json::array();
  for (size_t r = 0; r < p.rows(); ++r) {
    if (package.is_classifier()) {
      predictions.push_back(package.classes[p.predicted[r]]);
    } else {
      predictions.push_back(p.scores[r]);
    }
  }
  return {{"predictions", std::move(predictions)}};
}

json KserveOutputs(const ml::ModelPackage& package, const ml::Predictions& p) {
  const int64_t rows = static_cast<int64_t>(p.rows());
  json predicted = json::array();
  for (size_t r = 0; r < p.rows(); ++r) {
    if (package.is_classifier()) {
      predicted.push_back(package.classes[p.predicted[r]]);
    } else {
      predicted.push_back(p.scores[r]);
    }
  }
  json outputs = json::array();
  outputs.push_back({{"name", "predicted"},
                     {"shape", {rows}},
                     {"datatype", package.is_classifier() ? "BYTES" : "FP64"},
                     {"data", std::move(predicted)}});
  if (package.is_classifier()) {
    outputs.push_back({{"name", "probabilities"},
                       {"shape", {rows, static_cast<int64_t>(p.width)}},
                       {"datatype", "FP32"},
                       {"data", p.scores}});
  }
  return outputs;
}

}  // namespace kiln::api::serving_api
