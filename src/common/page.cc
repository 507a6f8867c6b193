#include "common/page.h"

#include <charconv>

namespace kiln {

// Tokens are "o" + the offset in base 36: opaque to clients, trivial to check.
std::string EncodePageToken(int64_t offset) {
  static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string digits;
  do {
    digits.insert(digits.begin(), kDigits[offset % 36]);
    offset /= 36;
  } while (offset > 0);
  return "o" + digits;
}

Result<int64_t> DecodePageToken(const std::string& token) {
  if (token.empty()) return int64_t{0};
  int64_t offset = 0;
  if (token.size() > 1 && token.size() < 14 && token[0] == 'o') {
    auto [end, ec] = std::from_chars(token.data() + 1, token.data() + token.size(), offset, 36);
    if (ec == std::errc() && end == token.data() + token.size() && offset >= 0) return offset;
  }
  return InvalidArgument("invalid page_token '" + token + "'");
}

}  // namespace kiln
