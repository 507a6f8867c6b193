#include "http/uri.h"

namespace kiln::http {

bool ParseQueryString(std::string_view query, std::multimap<std::string, std::string>& out) {
  std::string key;
  std::string value;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    if (!PercentDecodeTo(piece.substr(0, eq), true, key)) return false;
    if (!PercentDecodeTo(raw_value, true, value)) return false;
    out.emplace(std::move(key), std::move(value));
  }
  return true;
}

}  // namespace kiln::http
