#include "common/base64.h"

#include <algorithm>
#include <cstdint>

namespace kiln {
namespace {

constexpr char kStandard[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrlSafe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// The 6-bit value of `c` in the alphabet whose last two characters are `c62` and `c63`; -1 when
// it is not in it.
int ValueOf(char c, char c62, char c63) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == c62) return 62;
  if (c == c63) return 63;
  return -1;
}

// Groups of 3 bytes become 4 characters; a last partial group gives 2 or 3, then '=' to a
// multiple of 4 when `pad`.
std::string Encode(std::string_view bytes, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t bits = 0;
    for (size_t j = 0; j < 3; ++j) {
      bits = (bits << 8) | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    }
    for (size_t j = 0; j <= n; ++j) out += alphabet[(bits >> (18 - 6 * j)) & 63];
    if (pad) out.append(3 - n, '=');
  }
  return out;
}

// Decodes unpadded text (its padding already taken off) in the alphabet of `c62` and `c63`.
// Bits left over in a last partial group are ignored, as RFC 4648 (3.5) allows.
std::optional<std::string> DecodeUnpadded(std::string_view text, char c62, char c63) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    const int value = ValueOf(c, c62, c63);
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(value);
    if (++count == 4) {
      out += static_cast<char>(bits >> 16);
      out += static_cast<char>((bits >> 8) & 0xff);
      out += static_cast<char>(bits & 0xff);
      bits = 0;
      count = 0;
    }
  }
  if (count == 2) {
    out += static_cast<char>(bits >> 4);
  } else if (count == 3) {
    out += static_cast<char>(bits >> 10);
    out += static_cast<char>((bits >> 2) & 0xff);
  }
  return out;
}

}  // namespace

std::string EncodeBase64(std::string_view bytes) { return Encode(bytes, kStandard, true); }

std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  return DecodeUnpadded(text.substr(0, text.size() - padding), '+', '/');
}

std::string EncodeBase64Url(std::string_view bytes) { return Encode(bytes, kUrlSafe, false); }

std::optional<std::string> DecodeBase64Url(std::string_view text) {
  return DecodeUnpadded(text, '-', '_');
}

}  // namespace kiln
