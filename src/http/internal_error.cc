#include "http/internal_error.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

namespace kiln::http {
namespace {

// The most of a failed response's body the log keeps.
constexpr size_t kMaxLoggedBody = 4096;

std::string Details(const Response& response) {
  if (response.stream) return "(a streamed body)";
  if (response.file_path) return "(the file " + *response.file_path + ")";
  if (response.body.size() <= kMaxLoggedBody) return response.body;
  return response.body.substr(0, kMaxLoggedBody) + "...";
}

}  // namespace

Response HideInternalError(const Response& response, const Request& request) {
  const std::string id =
      request.context.request_id.empty() ? NewRequestId() : request.context.request_id;
  spdlog::error("internal error (request id {}) answering {} {}: {}", id, request.method,
                request.path, Details(response));
  nlohmann::json body = {{"error_code", "INTERNAL_ERROR"},
                         {"message", "Internal error (request id " + id + ")"},
                         {"request_id", id}};
  Response hidden = Response::Json(500, body.dump());
  hidden.headers.emplace_back("X-Request-Id", id);
  return hidden;
}

}  // namespace kiln::http
