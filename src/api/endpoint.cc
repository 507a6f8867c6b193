#include "api/endpoint.h"

#include <boost/beast/core/string.hpp>

#include "api/error_mapping.h"

namespace kiln::api {

std::string_view MediaType(std::string_view content_type) {
  const std::string_view media = content_type.substr(0, content_type.find(';'));
  const size_t first = media.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return media.substr(first, media.find_last_not_of(" \t") - first + 1);
}

bool IsJsonContentType(std::string_view content_type) {
  return boost::beast::iequals(MediaType(content_type), "application/json");
}

std::string_view ContentTypeOf(const http::Request& request) {
  auto it = request.headers.find("content-type");
  return it == request.headers.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<http::Response> RefuseNonJsonBody(const http::Request& request) {
  const std::string_view content_type = ContentTypeOf(request);
  if (content_type.empty() ? request.body.empty() : IsJsonContentType(content_type)) {
    return std::nullopt;
  }
  return http::Response::Error(
      415, "BAD_REQUEST",
      content_type.empty()
          ? "Unsupported media type: a request body needs Content-Type: application/json"
          : "Unsupported media type '" + std::string(content_type) +
                "': this endpoint accepts only application/json");
}

http::Handler JsonEndpoint(JsonHandler fn) {
  return [fn = std::move(fn)](http::Request& request) -> http::Response {
    if (std::optional<http::Response> refusal = RefuseNonJsonBody(request)) return *refusal;
    Result<RequestArgs> args = RequestArgs::FromRequest(request);
    if (!args.ok()) return ErrorResponse(args.status());
    Result<nlohmann::json> result = fn(request.context, *args);
    if (!result.ok()) return ErrorResponse(result.status());
    return http::Response::Json(
        200, result->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  };
}

void AddMlflowRoute(http::Router& router, std::initializer_list<const char*> methods,
                    const std::string& path, http::AccessPolicy policy, JsonHandler fn) {
  http::Handler handler = JsonEndpoint(std::move(fn));
  for (const char* prefix : {"/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"}) {
    for (const char* method : methods) {
      router.Add(method, prefix + path, policy, handler, http::RouteOptions{kMlflowMaxBodyBytes});
    }
  }
}

Result<nlohmann::json> EmptyOr(const Status& status) {
  if (!status.ok()) return status;
  return nlohmann::json::object();
}

}  // namespace kiln::api
