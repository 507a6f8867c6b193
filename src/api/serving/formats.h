// The prediction protocols' request and response bodies: Kiln's native one, MLflow's scoring
// format and KServe v2 (Open Inference Protocol). Each parser turns a body into rows typed by
// the model's signature (serving/rows_json.h), so every protocol refuses bad input the same way
// and treats fields that are not model inputs the same way (`extra`: skipped and named, or
// refused when strict).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ml/model_package.h"
#include "ml/predictor.h"
#include "ml/table.h"
#include "serving/rows_json.h"

namespace kiln::api::serving_api {

// {"rows": [{col: value}, ...]} or {"columns": [...], "data": [[...], ...]}.
Result<ml::Table> ParseNative(const nlohmann::json& body, const kiln::serving::Signature& sig,
                              kiln::serving::ExtraFields& extra);
// {"dataframe_split": {"columns", "data"}}, {"dataframe_records": [...]}, {"instances": ...} or
// {"inputs": ...} (row objects, value lists in signature order, or {col: [values]}).
Result<ml::Table> ParseMlflow(const nlohmann::json& body, const kiln::serving::Signature& sig,
                              kiln::serving::ExtraFields& extra);
// {"inputs": [{"name", "shape", "datatype", "data"}, ...]}: one tensor per feature (shape [N] or
// [N, 1]), or one [N, F] tensor whose F columns follow the signature.
Result<ml::Table> ParseKserve(const nlohmann::json& body, const kiln::serving::Signature& sig,
                              kiln::serving::ExtraFields& extra);

// MLflow's answer: {"predictions": [label or value, ...]}.
nlohmann::json MlflowAnswer(const ml::ModelPackage& package, const ml::Predictions& predictions);
// KServe v2 outputs: "predicted" (BYTES labels or FP64 values) and, for classifiers,
// "probabilities" (FP32, [N, classes]).
nlohmann::json KserveOutputs(const ml::ModelPackage& package, const ml::Predictions& predictions);

}  // namespace kiln::api::serving_api
