// The prediction protocols' side of a request (serving::PredictProtocol): Kiln's native rows,
// MLflow's scoring format and KServe v2. Each reads a body into rows (api/serving/formats.h)
// and writes its answer; the flow between them is serving::PredictService's.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "serving/predict_service.h"

namespace kiln::api::serving_api {

// {"rows": [...]} or {"columns", "data"}; answers {"model": {"name", "version"}, "predictions":
// [...], "request_id"[, "warnings"]}. Reads {"rows": [...]} without building a JSON document
// when it can (serving/rows_fast.h).
const serving::PredictProtocol& NativeProtocol();
// MLflow's scoring format; answers {"predictions": [...][, "warnings"]}.
const serving::PredictProtocol& MlflowProtocol();
// KServe v2 / Open Inference Protocol; answers {"model_name", "model_version", "id",
// "outputs"[, "parameters"]}, echoing the request's "id" when it sent one.
const serving::PredictProtocol& KserveProtocol();

// A prediction route's JSON body, parsed after checking its shape: at most 32 levels deep and
// a full batch of values. Errors: kInvalidArgument naming the limit, or for invalid JSON.
Result<nlohmann::json> ParsePredictBody(const std::string& body);

}  // namespace kiln::api::serving_api
