#include "api/error_mapping.h"

#include <spdlog/spdlog.h>

namespace kiln::api {

HttpError MapStatus(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return {200, "OK"};
    case StatusCode::kInvalidArgument:
      return {400, "INVALID_PARAMETER_VALUE"};
    case StatusCode::kNotFound:
      return {404, "RESOURCE_DOES_NOT_EXIST"};
    case StatusCode::kAlreadyExists:
      return {400, "RESOURCE_ALREADY_EXISTS"};
    case StatusCode::kFailedPrecondition:
      return {400, "INVALID_PARAMETER_VALUE"};
    case StatusCode::kResourceExhausted:
      return {429, "REQUEST_LIMIT_EXCEEDED"};
    case StatusCode::kUnavailable:
      return {503, "TEMPORARILY_UNAVAILABLE"};
    case StatusCode::kInternal:
      return {500, "INTERNAL_ERROR"};
  }
  return {500, "INTERNAL_ERROR"};
}

http::Response ErrorResponse(const Status& status) {
  HttpError error = MapStatus(status.code());
  if (error.http_status >= 500) spdlog::error("request failed: {}", status.ToString());
  return http::Response::Error(error.http_status, error.error_code, status.message());
}

}  // namespace kiln::api
