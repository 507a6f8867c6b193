// Scores the truth given as feedback against a logged request's predictions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::serving {

// How one request's predictions compare with its labels. A plain value.
struct FeedbackScore {
  bool regressor = false;     // predictions were numbers (else string class labels)
  int64_t rows = 0;           // rows scored (= rows of the request)
  int64_t correct = 0;        // classifiers: rows whose label equals the prediction as text
  double squared_error = 0;   // regressors: sum over rows of (predicted - label)^2
  double absolute_error = 0;  // regressors: sum over rows of |predicted - label|
  std::string labels_json;    // the labels as a compact JSON array, one value per row
};

// Scores `labels_json` (one JSON value per row as an array; a single non-array value allowed
// when the request has one row) against `outputs_json` (the logged outputs: an array of
// objects with "predicted"). A string prediction makes a classifier: labels may be strings,
// numbers or booleans and compare as text (1 and 1.0 read as "1"), and must be one of the
// classes the logged row's "probabilities" names. A number prediction makes a regressor: labels
// must be numbers. Errors: kInvalidArgument naming `request_id` and the label index (labels not
// JSON, wrong count, wrong kind, a label that is not a class, naming it and the classes);
// kFailedPrecondition if a logged row has no usable "predicted". Thread-safe (pure).
Result<FeedbackScore> ScoreFeedback(std::string_view request_id, std::string_view outputs_json,
                                    std::string_view labels_json);

}  // namespace kiln::serving
