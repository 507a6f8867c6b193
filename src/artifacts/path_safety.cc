#include "artifacts/path_safety.h"

#include <cstdio>
#include <string>
#include <string_view>

#include "artifacts/artifact_store.h"

namespace kiln::artifacts {
namespace {

bool IsControl(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

Status Invalid(std::string_view path, std::string_view why) {
  return InvalidArgument("invalid artifact path " + QuotePath(path) + ": " + std::string(why));
}

// Checks one '/'-separated segment; `last` allows the empty segment after a trailing '/'.
Status ValidateSegment(std::string_view path, std::string_view segment, bool last) {
  if (segment.empty() && !last) return Invalid(path, "empty segments are not allowed");
  if (segment == ".") return Invalid(path, "'.' segments are not allowed");
  if (segment == "..") return Invalid(path, "'..' segments are not allowed");
  return Status::Ok();
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

Status ValidateDigest(const std::string& digest) {
  bool ok = digest.size() == 64;
  for (char c : digest) ok = ok && IsLowerHex(c);
  if (ok) return Status::Ok();
  return InvalidArgument("invalid blob digest " + QuotePath(digest) +
                         ": expected 64 lowercase hex characters");
}

std::string QuotePath(std::string_view path) {
  std::string out = "'";
  for (char c : path) {
    if (IsControl(c) || c == '\\' || c == '\'') {
      char buf[5];
      std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "'";
}

Status ValidateRelativePath(const std::string& path) {
  if (path.empty()) return Status::Ok();  // the root; callers that need a file refuse it
  if (path.front() == '/') return Invalid(path, "absolute paths are not allowed");
  for (char c : path) {
    if (c == '\\') return Invalid(path, "backslashes are not allowed");
    if (IsControl(c)) return Invalid(path, "control characters are not allowed");
  }
  std::string_view rest = path;
  while (true) {
    size_t slash = rest.find('/');
    bool last = slash == std::string_view::npos;
    KILN_RETURN_IF_ERROR(ValidateSegment(path, rest.substr(0, slash), last));
    if (last) return Status::Ok();
    rest.remove_prefix(slash + 1);
  }
}

}  // namespace kiln::artifacts
