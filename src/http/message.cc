#include "http/message.h"

#include <nlohmann/json.hpp>

#include "http/uri.h"

namespace kiln::http {

std::optional<std::string> Request::QueryParam(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Request::QueryParams(const std::string& name) const {
  std::vector<std::string> values;
  auto [first, last] = query.equal_range(name);
  for (auto it = first; it != last; ++it) values.push_back(it->second);
  return values;
}

std::string Request::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

Response Response::Json(int status, std::string json_body) {
  Response response;
  response.status = status;
  response.body = std::move(json_body);
  return response;
}

Response Response::Error(int status, const std::string& error_code, const std::string& message) {
  nlohmann::json body = {{"error_code", error_code}, {"message", message}};
  // Messages often quote user input, which need not be valid UTF-8; the default handler
  // would throw, so invalid bytes become U+FFFD instead.
  return Json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace kiln::http
