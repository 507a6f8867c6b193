#include "api/endpoint.h"

#include "api/error_mapping.h"

namespace kiln::api {

http::Handler JsonEndpoint(JsonHandler fn) {
  return [fn = std::move(fn)](http::Request& request) -> http::Response {
    Result<RequestArgs> args = RequestArgs::FromRequest(request);
    if (!args.ok()) return ErrorResponse(args.status());
    Result<nlohmann::json> result = fn(*args);
    if (!result.ok()) return ErrorResponse(result.status());
    return http::Response::Json(
        200, result->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  };
}

void AddMlflowRoute(http::Router& router, std::initializer_list<const char*> methods,
                    const std::string& path, JsonHandler fn) {
  http::Handler handler = JsonEndpoint(std::move(fn));
  for (const char* prefix : {"/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"}) {
    for (const char* method : methods) router.Add(method, prefix + path, handler);
  }
}

Result<nlohmann::json> EmptyOr(const Status& status) {
  if (!status.ok()) return status;
  return nlohmann::json::object();
}

}  // namespace kiln::api
