// A forward-only reader of plain JSON tokens over raw text, for the fast request-rows path. It
// recognises only the forms whose meaning is certain (strings without escapes or bytes >= 0x80,
// numbers in strict JSON grammar that fit int64 or convert exactly as nlohmann::json does);
// every other form reads as "no": the caller then gives up and takes the full JSON parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kiln::serving {

// One JSON number: an integer literal (no fraction, no exponent) that fits int64, or any other
// number as the correctly rounded finite double.
struct FastNumber {
  bool is_integer = false;
  int64_t integer = 0;
  double real = 0;
};

// Reads tokens from `text`, which must outlive the scanner. Methods returning bool consume the
// token and return true, or return false (the position is then unspecified). Not thread-safe.
class FastJsonScanner {
 public:
  explicit FastJsonScanner(std::string_view text) : text_(text) {}

  // Skips JSON whitespace (space, tab, LF, CR).
  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }
  // After whitespace, the next byte, or '\0' at the end (never consumed).
  char Peek() {
    SkipSpace();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  // Consumes `c` after whitespace.
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  // Whether only whitespace remains.
  bool AtEnd() { return Peek() == '\0' && pos_ == text_.size(); }
  // Bytes consumed so far.
  size_t offset() const { return pos_; }

  // A string of printable ASCII without backslashes; `out` points into the text.
  bool String(std::string_view& out);
  // `literal` ("true", "false", "null") exactly.
  bool Literal(std::string_view literal);
  // A number in strict JSON grammar (see FastNumber); false also for int64 overflow, double
  // overflow or underflow.
  bool Number(FastNumber& out);
  // Any one value of the forms above (a string, a number, true, false or null), discarded.
  bool SkipScalar();

 private:
  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
  // Consumes digits; returns how many.
  size_t Digits();

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace kiln::serving
