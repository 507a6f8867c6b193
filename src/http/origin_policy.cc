#include "http/origin_policy.h"

#include "http/host_policy.h"

namespace kiln::http {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsSchemeChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '-' || c == '.';
}

// `authority` (lower-case) without the port its scheme implies, and without an empty port.
std::string WithoutDefaultPort(std::string_view scheme, std::string authority) {
  const std::string_view default_port = scheme == "http" ? ":80" : scheme == "https" ? ":443" : "";
  if (!default_port.empty() && authority.size() > default_port.size() &&
      authority.ends_with(default_port)) {
    authority.resize(authority.size() - default_port.size());
  }
  if (authority.ends_with(':')) authority.pop_back();
  return authority;
}

struct UrlParts {
  std::string scheme;     // lower-case
  std::string authority;  // lower-case, default port dropped
  std::string_view rest;  // path, query and fragment as written
};

std::optional<UrlParts> SplitUrl(std::string_view url) {
  const size_t separator = url.find("://");
  if (separator == std::string_view::npos || separator == 0) return std::nullopt;
  const std::string_view scheme = url.substr(0, separator);
  for (char c : scheme) {
    if (!IsSchemeChar(c)) return std::nullopt;
  }
  const std::string_view after = url.substr(separator + 3);
  const size_t end = after.find_first_of("/?#");
  const std::string_view authority = after.substr(0, end);
  // HostNameOf refuses user info ('@') and anything else a host and port cannot hold.
  if (!HostNameOf(authority)) return std::nullopt;
  UrlParts parts;
  parts.scheme = Lower(scheme);
  parts.authority = WithoutDefaultPort(parts.scheme, Lower(authority));
  parts.rest = end == std::string_view::npos ? std::string_view() : after.substr(end);
  return parts;
}

}  // namespace

std::optional<std::string> NormalizeOrigin(std::string_view value) {
  std::optional<UrlParts> parts = SplitUrl(value);
  if (!parts || !(parts->rest.empty() || parts->rest == "/")) return std::nullopt;
  return parts->scheme + "://" + parts->authority;
}

std::optional<std::string> OriginOfUrl(std::string_view url) {
  std::optional<UrlParts> parts = SplitUrl(url);
  if (!parts) return std::nullopt;
  return parts->scheme + "://" + parts->authority;
}

bool IsSameOrigin(std::string_view origin, std::string_view host) {
  for (std::string_view scheme : {std::string_view("http"), std::string_view("https")}) {
    const std::string prefix = std::string(scheme) + "://";
    if (!origin.starts_with(prefix)) continue;
    return origin.substr(prefix.size()) == WithoutDefaultPort(scheme, Lower(host));
  }
  return false;
}

bool IsStateChanging(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace kiln::http
