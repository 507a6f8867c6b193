#include "cli/http_answer.h"

#include <string>

namespace kiln::cli {

Result<nlohmann::json> JsonAnswer(const http::Response& response) {
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (response.status == 200 && !body.is_discarded()) return body;
  std::string message = body.is_object() && body.contains("message") && body["message"].is_string()
                            ? body["message"].get<std::string>()
                            : "HTTP " + std::to_string(response.status);
  if (response.status == 404) return NotFound(message);
  if (body.is_object() && body.value("error_code", "") == "RESOURCE_ALREADY_EXISTS") {
    return AlreadyExists(message);
  }
  if (response.status < 500) return InvalidArgument(message);
  return Internal(message);
}

}  // namespace kiln::cli
