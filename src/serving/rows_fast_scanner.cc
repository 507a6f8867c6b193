#include "serving/rows_fast_scanner.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace kiln::serving {

bool FastJsonScanner::String(std::string_view& out) {
  if (!Consume('"')) return false;
  const size_t start = pos_;
  while (pos_ < text_.size()) {
    const auto byte = static_cast<unsigned char>(text_[pos_]);
    if (byte == '"') {
      out = text_.substr(start, pos_ - start);
      ++pos_;
      return true;
    }
    // Escapes, control bytes and non-ASCII (whose UTF-8 validity nlohmann checks) go slow.
    if (byte == '\\' || byte < 0x20 || byte >= 0x80) return false;
    ++pos_;
  }
  return false;
}

bool FastJsonScanner::Literal(std::string_view literal) {
  SkipSpace();
  if (text_.substr(pos_, literal.size()) != literal) return false;
  pos_ += literal.size();
  return true;
}

size_t FastJsonScanner::Digits() {
  const size_t start = pos_;
  while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
  return pos_ - start;
}

bool FastJsonScanner::Number(FastNumber& out) {
  SkipSpace();
  const size_t start = pos_;
  if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
  const size_t int_start = pos_;
  const size_t int_digits = Digits();
  if (int_digits == 0 || (int_digits > 1 && text_[int_start] == '0')) return false;
  bool integer = true;
  if (pos_ < text_.size() && text_[pos_] == '.') {
    ++pos_;
    if (Digits() == 0) return false;
    integer = false;
  }
  if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    ++pos_;
    if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
    if (Digits() == 0) return false;
    integer = false;
  }
  const char* first = text_.data() + start;
  const char* last = text_.data() + pos_;
  out.is_integer = integer;
  // Integers stay integers (nlohmann keeps "-0" as the integer 0, not the double -0.0); an
  // int64 overflow, which nlohmann would keep as uint64 or a double, is left to it.
  if (integer) {
    auto [end, ec] = std::from_chars(first, last, out.integer);
    return ec == std::errc() && end == last;
  }
  // from_chars rounds correctly, as glibc's strtod behind nlohmann does; out-of-range results
  // (overflow, which nlohmann refuses, and underflow) are left to nlohmann.
  auto [end, ec] = std::from_chars(first, last, out.real, std::chars_format::general);
  return ec == std::errc() && end == last && std::isfinite(out.real);
}

bool FastJsonScanner::SkipScalar() {
  switch (Peek()) {
    case '"': {
      std::string_view ignored;
      return String(ignored);
    }
    case 't':
      return Literal("true");
    case 'f':
      return Literal("false");
    case 'n':
      return Literal("null");
    default: {
      FastNumber ignored;
      return Number(ignored);
    }
  }
}

}  // namespace kiln::serving
