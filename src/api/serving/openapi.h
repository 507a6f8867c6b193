// An OpenAPI 3 document for one deployment, generated from its model's signature: the native
// predict route with a typed row schema, MLflow's invocations and the feedback route.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "serving/loaded_model.h"

namespace kiln::api::serving_api {

// The document for deployment `name` serving `model`. Never fails.
nlohmann::json OpenApiDocument(const std::string& name, const serving::LoadedModel& model);

}  // namespace kiln::api::serving_api
