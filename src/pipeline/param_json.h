// Typed param values as JSON: 3, 0.5, true, "text", [1, 2] (for the API and builtin steps).
#pragma once

#include <nlohmann/json.hpp>

#include "pipeline/param_value.h"

namespace kiln::pipeline {

// The value with its JSON type: ints as integers, floats as numbers, lists as arrays.
nlohmann::json ParamValueToJson(const ParamValue& value);

}  // namespace kiln::pipeline
