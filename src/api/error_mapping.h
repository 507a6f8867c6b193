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
// kResourceExhausted -> 429 REQUEST_LIMIT_EXCEEDED, kPermissionDenied -> 403 PERMISSION_DENIED,
// kUnavailable -> 503
// TEMPORARILY_UNAVAILABLE, kInternal -> 500 INTERNAL_ERROR.
HttpError MapStatus(StatusCode code);

// {"error_code": ..., "message": ...} response for a non-OK status; the message goes through
// HideServerPaths.
http::Response ErrorResponse(const Status& status);

// Makes error answers show the server's folder `path` (absolute, e.g. its data folder) as
// `label` (e.g. "<data folder>"): domain messages name files by their full paths, which help in
// logs and on the CLI, but a client must never learn where the server keeps things. Call at
// start-up, before serving; paths stay registered for the process. Thread-safe.
void HidePathInErrors(const std::string& path, const std::string& label);
// `message` with every registered folder, where it appears as a whole path (not followed by a
// letter, digit, '.', '_' or '-'), replaced by its label; longer folders first. Thread-safe.
std::string HideServerPaths(const std::string& message);

}  // namespace kiln::api
