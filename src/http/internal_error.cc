#include "http/internal_error.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

namespace kiln::http {
namespace {

// The most of a failed response's body the log keeps.
constexpr size_t kMaxLoggedBody = 4096;

uint32_t ProcessPrefix() {
  static const uint32_t prefix = std::random_device{}();
  return prefix;
}

std::string Details(const Response& response) {
  if (response.stream) return "(a streamed body)";
  if (response.file_path) return "(the file " + *response.file_path + ")";
  if (response.body.size() <= kMaxLoggedBody) return response.body;
  return response.body.substr(0, kMaxLoggedBody) + "...";
}

}  // namespace

std::string NewErrorId() {
  static std::atomic<uint64_t> counter{0};
  char id[32];
  std::snprintf(id, sizeof id, "%08x-%06llx", ProcessPrefix(),
                static_cast<unsigned long long>(++counter));
  return id;
}

Response HideInternalError(const Response& response, const Request& request) {
  const std::string id = NewErrorId();
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
