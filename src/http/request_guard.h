// RequestGuard: what a request must pass before the router sees it, against web pages that
// use the user's browser to reach the server: the Host check (DNS rebinding), the Origin check
// on state-changing requests (drive-by "simple" requests, which browsers send without asking
// the server first) and the CORS answers, which only listed origins get. Generic: knows
// nothing of the domain.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/host_policy.h"
#include "http/message.h"

namespace kiln::http {

class RequestGuard {
 public:
  // `listen_host` is the address the server listens on; `allowed_hosts` and
  // `cors_allowed_origins` as in ServerOptions. Errors: kInvalidArgument naming an allowed
  // origin that is not "scheme://host[:port]".
  static Result<RequestGuard> Create(const std::string& listen_host,
                                     const std::vector<std::string>& allowed_hosts,
                                     const std::vector<std::string>& cors_allowed_origins);

  // The answer to give instead of dispatching `request` (method and lower-case headers
  // filled) of HTTP `version` (10 or 11), or nullopt to dispatch it:
  // - 400 for HTTP/1.1 without a Host header, 403 for a Host the server does not answer for;
  // - the CORS preflight answer (204) for an OPTIONS request from an allowed origin, 403 for
  //   one from another origin;
  // - 403 for a state-changing method (not GET, HEAD, OPTIONS) whose Origin, or without one
  //   whose Referer, is another origin than the server's own (the Host it was sent to) and
  //   not an allowed one; "Origin: null" (sandboxed pages, some redirects) included.
  // Requests without Origin and Referer (non-browser clients) pass. Thread-safe.
  std::optional<Response> Check(const Request& request, unsigned version) const;

  // Adds Access-Control-Allow-Origin (the request's origin, never "*") to `response` when
  // `request` comes from an allowed origin, and "Vary: Origin" whenever origins are allowed.
  // Thread-safe.
  void AddCorsHeaders(const Request& request, Response& response) const;

 private:
  RequestGuard(HostAllowList hosts, std::vector<std::string> origins)
      : hosts_(std::move(hosts)), origins_(std::move(origins)) {}
  // Whether `origin` (an Origin header value) is an allowed one.
  bool IsAllowedOrigin(const std::string& origin) const;
  // Why a state-changing `request` is refused, or "".
  std::string CrossOriginRefusal(const Request& request) const;
  Response Preflight(const std::string& origin) const;

  HostAllowList hosts_;
  std::vector<std::string> origins_;  // normalized
};

}  // namespace kiln::http
