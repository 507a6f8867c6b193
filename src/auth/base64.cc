#include "auth/base64.h"

#include <cstdint>

namespace kiln::auth {
namespace {

const char* Table(Base64Alphabet alphabet) {
  return alphabet == Base64Alphabet::kUrl
             ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
             : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

// The 6-bit value of `c` in `alphabet`, or -1.
int Sextet(char c, Base64Alphabet alphabet) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  const char* table = Table(alphabet);
  if (c == table[62]) return 62;
  if (c == table[63]) return 63;
  return -1;
}

}  // namespace

std::string Base64Encode(std::string_view bytes, Base64Alphabet alphabet) {
  const char* table = Table(alphabet);
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  uint32_t bits = 0;
  int count = 0;
  for (unsigned char byte : bytes) {
    bits = (bits << 8) | byte;
    count += 8;
    while (count >= 6) {
      count -= 6;
      out.push_back(table[(bits >> count) & 63]);
    }
  }
  if (count > 0) out.push_back(table[(bits << (6 - count)) & 63]);
  if (alphabet == Base64Alphabet::kStandard) {
    while (out.size() % 4 != 0) out.push_back('=');
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text, Base64Alphabet alphabet) {
  if (alphabet == Base64Alphabet::kStandard) {
    if (text.size() % 4 != 0) return std::nullopt;
    size_t pad = 0;
    while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
    text.remove_suffix(pad);
  }
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    const int value = Sextet(c, alphabet);
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  // Leftover bits must be zero, so each byte string has exactly one encoding.
  if ((bits & ((1u << count) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace kiln::auth
