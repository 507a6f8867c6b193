#include "ml/csv_values.h"

#include <strings.h>

#include <charconv>
#include <limits>

namespace kiln::ml::csv {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Drops one leading '+' that is followed by a digit or '.', which from_chars does not accept.
std::string_view StripPlus(std::string_view s) {
  if (s.size() >= 2 && s[0] == '+' && (IsDigit(s[1]) || s[1] == '.')) s.remove_prefix(1);
  return s;
}

}  // namespace

bool ParseInt(std::string_view s, int64_t& out) {
  s = StripPlus(s);
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end;
}

bool ParseDouble(std::string_view s, double& out) {
  if (s == "inf" || s == "+inf" || s == "-inf") {  // as std::to_chars (and WriteCsv) spell them
    out = s[0] == '-' ? -std::numeric_limits<double>::infinity()
                      : std::numeric_limits<double>::infinity();
    return true;
  }
  s = StripPlus(s);
  // Only digits, '.', or a sign then a digit or '.' may start a number: rules out inf/nan.
  size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  if (i >= s.size() || !(IsDigit(s[i]) || s[i] == '.')) return false;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end;
}

bool ParseBool(std::string_view s, uint8_t& out) {
  if (s.size() == 4 && strncasecmp(s.data(), "true", 4) == 0) {
    out = 1;
    return true;
  }
  if (s.size() == 5 && strncasecmp(s.data(), "false", 5) == 0) {
    out = 0;
    return true;
  }
  return false;
}

MissingSet::MissingSet(const std::vector<std::string>& values) : values_(values) {
  for (const std::string& v : values_) {
    if (v.empty()) {
      has_empty_ = true;
    } else {
      first_[static_cast<unsigned char>(v[0])] = true;
    }
  }
  // A quoted field starts with '"' whatever its content, so it always needs the full check.
  first_[static_cast<unsigned char>('"')] = true;
}

bool MissingSet::Contains(std::string_view content) const {
  if (content.empty()) return has_empty_;
  if (!first_[static_cast<unsigned char>(content[0])]) return false;
  for (const std::string& v : values_) {
    if (v == content) return true;
  }
  return false;
}

}  // namespace kiln::ml::csv
