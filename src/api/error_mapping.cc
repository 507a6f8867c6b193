#include "api/error_mapping.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "common/mutex.h"

namespace kiln::api {

HttpError MapStatus(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return {200, "OK"};
    case StatusCode::kInvalidArgument:
      return {400, "INVALID_PARAMETER_VALUE"};
    case StatusCode::kNotFound:
      return {404, "RESOURCE_DOES_NOT_EXIST"};
    case StatusCode::kAlreadyExists:
      return {400, "RESOURCE_ALREADY_EXISTS"};
    case StatusCode::kFailedPrecondition:
      return {400, "INVALID_PARAMETER_VALUE"};
    case StatusCode::kResourceExhausted:
      return {429, "REQUEST_LIMIT_EXCEEDED"};
    case StatusCode::kUnauthenticated:
      return {401, "UNAUTHENTICATED"};
    case StatusCode::kPermissionDenied:
      return {403, "PERMISSION_DENIED"};
    case StatusCode::kUnavailable:
      return {503, "TEMPORARILY_UNAVAILABLE"};
    case StatusCode::kInternal:
      return {500, "INTERNAL_ERROR"};
  }
  return {500, "INTERNAL_ERROR"};
}

namespace {

struct HiddenPaths {
  Mutex mu;
  // (path, label), longest first
  std::vector<std::pair<std::string, std::string>> paths GUARDED_BY(mu);
};

HiddenPaths& Hidden() {
  static HiddenPaths* hidden = new HiddenPaths();  // never destroyed: used until exit
  return *hidden;
}

// True when `c`, just after a match, continues a file name (so "/data" does not match "/data2").
bool ContinuesName(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

void Replace(std::string& text, const std::string& path, const std::string& label) {
  for (size_t at = text.find(path); at != std::string::npos; at = text.find(path, at)) {
    const size_t end = at + path.size();
    if (end < text.size() && ContinuesName(text[end])) {
      at = end;
      continue;
    }
    text.replace(at, path.size(), label);
    at += label.size();
  }
}

}  // namespace

void HidePathInErrors(const std::string& path, const std::string& label) {
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  if (trimmed.size() <= 1) return;  // hiding "/" would mangle every path
  HiddenPaths& hidden = Hidden();
  MutexLock lock(hidden.mu);
  for (const auto& [known, unused] : hidden.paths) {
    if (known == trimmed) return;
  }
  hidden.paths.emplace_back(trimmed, label);
  std::stable_sort(hidden.paths.begin(), hidden.paths.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

std::string HideServerPaths(const std::string& message) {
  HiddenPaths& hidden = Hidden();
  MutexLock lock(hidden.mu);
  std::string out = message;
  for (const auto& [path, label] : hidden.paths) Replace(out, path, label);
  return out;
}

http::Response ErrorResponse(const Status& status) {
  HttpError error = MapStatus(status.code());
  if (error.http_status >= 500) spdlog::error("request failed: {}", status.ToString());
  return http::Response::Error(error.http_status, error.error_code,
                               HideServerPaths(status.message()));
}

}  // namespace kiln::api
