#include "http/framing.h"

#include <boost/beast/core/string.hpp>

namespace kiln::http {
namespace {

std::string_view Trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::string FramingError(const std::vector<std::string_view>& transfer_encodings,
                         bool has_content_length, unsigned version) {
  if (transfer_encodings.empty()) return {};
  if (version < 11) return "Transfer-Encoding is not allowed in an HTTP/1.0 request";
  if (has_content_length) return "Transfer-Encoding and Content-Length must not both be sent";
  if (transfer_encodings.size() > 1) return "Transfer-Encoding must be sent once";
  if (!boost::beast::iequals(Trim(transfer_encodings.front()), "chunked")) {
    return "Unsupported Transfer-Encoding '" + std::string(transfer_encodings.front()) +
           "': only 'chunked' is accepted";
  }
  return {};
}

}  // namespace kiln::http
