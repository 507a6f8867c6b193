// A one-pass scanner for plain decimal numbers ("-123", "45.678"), the bulk of numeric CSV
// files. It handles only the cases it can convert exactly; callers fall back to from_chars for
// everything else (exponents, long mantissas, ".5"). Internal to ml/.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kiln::ml::csv {

// A scanned number: value = (negative ? -1 : 1) * mantissa / 10^fraction_digits.
struct PlainNumber {
  uint64_t mantissa = 0;
  int fraction_digits = 0;
  bool negative = false;
  bool has_dot = false;
};

// Scans [-]digits[.digits] at `p` with at most 18 digits in all. Returns the position after
// the number, or nullptr when the text is not such a number. Never reads at or past `end`.
inline const char* ScanPlainNumber(const char* p, const char* end, PlainNumber& n) {
  n.negative = p < end && *p == '-';
  if (n.negative) ++p;
  const char* digits = p;
  uint64_t m = 0;
  while (p < end && static_cast<unsigned char>(*p - '0') < 10) m = m * 10 + (*p++ - '0');
  if (p == digits) return nullptr;
  size_t count = static_cast<size_t>(p - digits);
  n.has_dot = p < end && *p == '.';
  if (n.has_dot) {
    const char* fraction = ++p;
    while (p < end && static_cast<unsigned char>(*p - '0') < 10) m = m * 10 + (*p++ - '0');
    n.fraction_digits = static_cast<int>(p - fraction);
    count += static_cast<size_t>(n.fraction_digits);
  } else {
    n.fraction_digits = 0;
  }
  if (count > 18) return nullptr;  // the mantissa might have overflowed
  n.mantissa = m;
  return p;
}

// The int64 value of a number without a dot.
inline int64_t PlainInt(const PlainNumber& n) {
  int64_t v = static_cast<int64_t>(n.mantissa);
  return n.negative ? -v : v;
}

// True and sets `out` when the number converts exactly (mantissa below 2^53, at most 22
// fraction digits: one correctly rounded division of two exact doubles, as from_chars gives).
inline bool PlainDouble(const PlainNumber& n, double& out) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (n.mantissa > (uint64_t{1} << 53) || n.fraction_digits > 22) return false;
  double v = static_cast<double>(n.mantissa) / kPow10[n.fraction_digits];
  out = n.negative ? -v : v;
  return true;
}

}  // namespace kiln::ml::csv
