// Origins (RFC 6454) as browsers send them in Origin and Referer headers: the pieces the server
// needs to tell its own pages' requests from a foreign page's. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kiln::http {

// Normalizes an Origin header value or an allowed-origin setting, "scheme://host[:port]":
// lower-cased, without a default port (80 for http, 443 for https) and a trailing '/'.
// nullopt for "null", a value without "://", with user info, a path, a query or a malformed
// host.
std::optional<std::string> NormalizeOrigin(std::string_view value);

// The origin of an absolute URL such as a Referer header ("https://a.example/x?y" ->
// "https://a.example"), normalized like NormalizeOrigin; nullopt when it is not one.
std::optional<std::string> OriginOfUrl(std::string_view url);

// Whether `origin` (normalized) is the server's own as a request's Host header `host` names
// it: the same host and port, over http or https (a TLS proxy in front keeps Host).
bool IsSameOrigin(std::string_view origin, std::string_view host);

// Whether `method` may change state: anything but GET, HEAD and OPTIONS.
bool IsStateChanging(std::string_view method);

}  // namespace kiln::http
