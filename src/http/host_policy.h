// Which Host header values the server answers for: the defence against DNS rebinding, where a
// web page's own name is pointed at the server's address so that the browser sends the page's
// requests, with the page's name in Host, to the server. Knows nothing of the domain.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::http {

// The host name of a Host header value, without the port and IPv6 brackets, as written (case
// kept): "Example.com:8080" -> "Example.com", "[::1]:80" -> "::1". nullopt when malformed:
// empty, an unclosed bracket, a port that is not digits, or a character no host name holds.
std::optional<std::string_view> HostNameOf(std::string_view host_header);

// Whether `name` (as HostNameOf returns it) is an IPv4 or IPv6 address literal.
bool IsIpLiteral(std::string_view name);
// Whether `name` is "localhost", an address in 127.0.0.0/8 or ::1 (case-insensitive).
bool IsLoopbackName(std::string_view name);
// Whether `address` is a wildcard listen address: "0.0.0.0", "::" (or "[::]") or "".
bool IsWildcardAddress(std::string_view address);
// Whether host name `name` matches `pattern`, case-insensitively: "*" matches every name,
// "*.example.com" every name ending in ".example.com" (not "example.com" itself), anything else
// only itself.
bool MatchesHostPattern(std::string_view pattern, std::string_view name);

// The names a server answers for. Immutable once built; thread-safe.
class HostAllowList {
 public:
  // Allows the loopback names and addresses, `listen_host` (the address the server listens
  // on), every IP literal when `listen_host` is a wildcard address (DNS rebinding yields names,
  // never IP literals), and names matching one of `patterns` (MatchesHostPattern; a port or
  // IPv6 brackets in a pattern are ignored).
  HostAllowList(std::string_view listen_host, const std::vector<std::string>& patterns);
  // Whether a request whose Host header is `host_header` may be served; false for a
  // malformed value too.
  bool Allows(std::string_view host_header) const;

 private:
  std::string listen_host_;
  bool any_ip_literal_ = false;
  std::vector<std::string> patterns_;
};

}  // namespace kiln::http
