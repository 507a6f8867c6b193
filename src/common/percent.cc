#include "common/percent.h"

namespace kiln {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool PercentDecodeTo(std::string_view in, bool plus_is_space, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(plus_is_space && in[i] == '+' ? ' ' : in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int high = HexValue(in[i + 1]);
    const int low = HexValue(in[i + 2]);
    if (high < 0 || low < 0) return false;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return true;
}

std::optional<std::string> PercentDecode(const std::string& in, bool plus_is_space) {
  std::string out;
  if (!PercentDecodeTo(in, plus_is_space, out)) return std::nullopt;
  return out;
}

std::string PercentDecodeFully(const std::string& in) {
  std::string current = in;
  for (int round = 0; round < 8; ++round) {
    std::optional<std::string> next = PercentDecode(current, false);
    if (!next || *next == current) break;
    current = std::move(*next);
  }
  return current;
}

bool HasParentSegment(const std::string& path) {
  const std::string decoded = PercentDecodeFully(path);
  size_t start = 0;
  while (start <= decoded.size()) {
    size_t end = decoded.find_first_of("/\\", start);
    if (end == std::string::npos) end = decoded.size();
    if (decoded.compare(start, end - start, "..") == 0 && end - start == 2) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace kiln
