// How the CLI reads a server's answer: the JSON body of a 200, or the error it reports.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "http/message.h"

namespace kiln::cli {

// The JSON body of a 200 answer. Otherwise the server's `message` (or "HTTP <status>") as
// kNotFound (404), kAlreadyExists (error_code RESOURCE_ALREADY_EXISTS), kInvalidArgument (other
// 4xx) or kInternal (5xx, or a 200 whose body is not JSON).
Result<nlohmann::json> JsonAnswer(const http::Response& response);

}  // namespace kiln::cli
