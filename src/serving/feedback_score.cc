#include "serving/feedback_score.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace kiln::serving {
namespace {

using nlohmann::json;

json ParseJson(std::string_view text) {
  return json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

// A classifier label as text: strings as they are, integral numbers without a fraction.
bool LabelText(const json& label, std::string& text) {
  if (label.is_string()) {
    text = label.get<std::string>();
  } else if (label.is_boolean()) {
    text = label.get<bool>() ? "true" : "false";
  } else if (label.is_number_integer()) {
    text = label.dump();
  } else if (label.is_number_float()) {
    double v = label.get<double>();
    char buf[32];
    if (std::floor(v) == v && std::fabs(v) < 1e15) {
      std::snprintf(buf, sizeof buf, "%.0f", v);
    } else {
      std::snprintf(buf, sizeof buf, "%.17g", v);
    }
    text = buf;
  } else {
    return false;
  }
  return true;
}

std::string Where(std::string_view request_id, size_t row) {
  return "request '" + std::string(request_id) + "' labels[" + std::to_string(row) + "]";
}

// A classifier's label must be one of its classes, which the logged row's "probabilities"
// names: a label it cannot predict is a mistake (a typo, another encoding), not a wrong answer.
// Rows logged without probabilities are not checked.
Status CheckClass(std::string_view request_id, size_t row, const json& output,
                  const std::string& label) {
  auto probabilities = output.find("probabilities");
  if (probabilities == output.end() || !probabilities->is_object() || probabilities->empty() ||
      probabilities->contains(label)) {
    return Status::Ok();
  }
  std::string classes;
  for (auto it = probabilities->begin(); it != probabilities->end(); ++it) {
    classes += (classes.empty() ? "" : ", ") + it.key();
  }
  return InvalidArgument(Where(request_id, row) + ": '" + label +
                         "' is not a class of the model (classes: " + classes + ")");
}

// Scores one row into `score`; the first row fixes whether the model is a regressor.
Status ScoreRow(std::string_view request_id, size_t row, const json& output, const json& label,
                FeedbackScore& score) {
  const json* predicted = nullptr;
  if (output.is_object()) {
    if (auto it = output.find("predicted"); it != output.end()) predicted = &*it;
  }
  if (!predicted || !(predicted->is_string() || predicted->is_number())) {
    return FailedPrecondition("request '" + std::string(request_id) + "' row " +
                              std::to_string(row) + " has no logged \"predicted\" value");
  }
  if (row == 0) score.regressor = predicted->is_number();
  if (score.regressor) {
    if (!label.is_number()) {
      return InvalidArgument(Where(request_id, row) + ": expected a number (the model is a " +
                             "regressor), got " + label.type_name());
    }
    double err = predicted->get<double>() - label.get<double>();
    score.squared_error += err * err;
    score.absolute_error += std::fabs(err);
  } else {
    std::string text;
    if (!LabelText(label, text)) {
      return InvalidArgument(Where(request_id, row) + ": expected a class label (string, " +
                             "number or boolean), got " + label.type_name());
    }
    KILN_RETURN_IF_ERROR(CheckClass(request_id, row, output, text));
    std::string predicted_text;
    LabelText(*predicted, predicted_text);
    if (text == predicted_text) ++score.correct;
  }
  ++score.rows;
  return Status::Ok();
}

}  // namespace

Result<FeedbackScore> ScoreFeedback(std::string_view request_id, std::string_view outputs_json,
                                    std::string_view labels_json) {
  json outputs = ParseJson(outputs_json);
  if (!outputs.is_array() || outputs.empty()) {
    return FailedPrecondition("request '" + std::string(request_id) +
                              "' has no logged outputs to compare with");
  }
  json labels = ParseJson(labels_json);
  if (labels.is_discarded()) {
    return InvalidArgument("labels of request '" + std::string(request_id) +
                           "' are not valid JSON");
  }
  if (!labels.is_array()) labels = json::array({std::move(labels)});
  if (labels.size() != outputs.size()) {
    return InvalidArgument("request '" + std::string(request_id) + "' has " +
                           std::to_string(outputs.size()) + " rows but labels has " +
                           std::to_string(labels.size()) + " values");
  }
  FeedbackScore score;
  for (size_t i = 0; i < outputs.size(); ++i) {
    KILN_RETURN_IF_ERROR(ScoreRow(request_id, i, outputs[i], labels[i], score));
  }
  score.labels_json = labels.dump();
  return score;
}

}  // namespace kiln::serving
