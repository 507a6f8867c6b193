#include "meta/tag.h"

#include <cctype>

namespace kiln::meta {
namespace {

bool IsNameChar(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == ' ' || c == '/';
}

// MLflow treats names as possible file paths: "a/../b", "./a", "/a", "a/" and "a//b" would
// resolve to another name, so they are refused.
bool IsNormalPath(const std::string& key) {
  if (key.front() == '/' || key.back() == '/') return false;
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string::npos) end = key.size();
    std::string segment = key.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

Status ValidateKey(const std::string& what, const std::string& key) {
  if (key.empty())
    return InvalidArgument("Missing value for required parameter '" + what + " key'");
  for (unsigned char c : key) {
    if (!IsNameChar(c)) {
      return InvalidArgument("Invalid " + what + " name: '" + key +
                             "'. Names may only contain alphanumerics, underscores (_), dashes "
                             "(-), periods (.), spaces ( ), and slashes (/).");
    }
  }
  if (!IsNormalPath(key)) {
    return InvalidArgument("Invalid " + what + " name: '" + key +
                           "'. Names may be treated as files in certain cases, and must not "
                           "resolve to other names when treated as such.");
  }
  return CheckLength(what + " key", key, kMaxKeyLength);
}

Status CheckLength(const std::string& what, const std::string& value, size_t limit) {
  if (value.size() <= limit) return Status::Ok();
  return InvalidArgument(what + " '" + value.substr(0, 40) + "...' had length " +
                         std::to_string(value.size()) + ", which exceeded length limit of " +
                         std::to_string(limit));
}

}  // namespace kiln::meta
