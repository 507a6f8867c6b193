// The one place where a Status code becomes an HTTP status and an MLflow error_code.
#pragma once

#include <string>

#include "common/status.h"
#include "http/message.h"

namespace kiln::api {

struct HttpError {
  int http_status;
  const char* error_code;  // MLflow's databricks error code name
};

// kInvalidArgument -> 400 INVALID_PARAMETER_VALUE, kNotFound -> 404 RESOURCE_DOES_NOT_EXIST,
// kAlreadyExists -> 400 RESOURCE_ALREADY_EXISTS, kFailedPrecondition -> 400
// INVALID_PARAMETER_VALUE (MLflow's answer for e.g. writes to deleted runs),
// kResourceExhausted -> 429 REQUEST_LIMIT_EXCEEDED, kUnavailable -> 503
// TEMPORARILY_UNAVAILABLE, kInternal -> 500 INTERNAL_ERROR.
HttpError MapStatus(StatusCode code);

// {"error_code": ..., "message": ...} response for a non-OK status.
http::Response ErrorResponse(const Status& status);

}  // namespace kiln::api
