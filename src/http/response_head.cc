#include "http/response_head.h"

#include <spdlog/spdlog.h>

#include <boost/beast/http/status.hpp>
#include <charconv>

#include "http/security_headers.h"

namespace kiln::http {
namespace {

void AppendField(std::string_view name, std::string_view value, std::string& out) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

void AppendNumber(size_t value, std::string& out) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

}  // namespace

bool IsSafeHeader(std::string_view name, std::string_view value) {
  if (name.empty() || name.find_first_of(":\r\n \t") != std::string_view::npos) return false;
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool IsBodilessStatus(unsigned status) { return status < 200 || status == 204 || status == 304; }

void AppendResponseHead(const Response& response, unsigned status, unsigned version,
                        bool keep_alive, size_t content_length, std::string& out) {
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  AppendNumber(status, out);
  out += ' ';
  out.append(boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status)));
  out.append("\r\n");
  if (!response.content_type.empty() && IsSafeHeader("Content-Type", response.content_type)) {
    AppendField("Content-Type", response.content_type, out);
  }
  for (const auto& [name, value] : response.headers) {
    if (IsSafeHeader(name, value)) {
      AppendField(name, value, out);
    } else {
      spdlog::warn("dropping unsafe response header {}", name);
    }
  }
  out.append(kSecurityFields);
  // Constant bytes; only a response that has headers of its own needs a look at them.
  if (response.headers.empty() || !SetsOwnCsp(response)) out.append(kDefaultCspField);
  if (!IsBodilessStatus(status)) {
    out.append("Content-Length: ");
    AppendNumber(content_length, out);
    out.append("\r\n");
  }
  // HTTP/1.1 keeps the connection unless told; HTTP/1.0 closes it unless told.
  if (version >= 11 && !keep_alive) out.append("Connection: close\r\n");
  if (version < 11 && keep_alive) out.append("Connection: keep-alive\r\n");
  out.append("\r\n");
}

}  // namespace kiln::http
