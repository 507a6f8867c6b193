// Predictions as JSON text, written directly (no JSON document): the rows every protocol's
// answer and the request log hold. The hot path of every prediction.
#pragma once

#include <string>
#include <string_view>

#include "ml/model_package.h"
#include "ml/predictor.h"

namespace kiln::serving {

// A JSON array with one object per row: {"predicted": label or value, "probabilities":
// {class: p}} (classifiers). Non-finite numbers are written as null. Pure; thread-safe.
std::string PredictionObjectsText(const ml::ModelPackage& package,
                                  const ml::Predictions& predictions);

// Appends `text` to `out` as a JSON string literal (quoted; '"', '\\' and control characters
// escaped; other bytes as they are). Pure; never fails.
void AppendJsonLiteral(std::string& out, std::string_view text);

}  // namespace kiln::serving
