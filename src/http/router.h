// Router: maps (method, path pattern) to a handler.
// Patterns are literal segments, "{name}" (one segment) and a final "{name...}" (the rest
// of the path, possibly empty or containing '/'). Thread-safe for lookups once built.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/access_policy.h"
#include "http/message.h"

namespace kiln::http {

using Handler = std::function<Response(Request&)>;
// Runs before a matched route's handler (and the fallback) with the route's policy: an answer
// (e.g. 401 or 403) stops the request there, nullopt lets it go on. May fill
// request.context.identity for the handler.
using Guard = std::function<std::optional<Response>(Request&, AccessPolicy)>;

// What a route declares besides its handler.
struct RouteOptions {
  // Largest request body the route accepts; 0 = the server's limit (ServerOptions). A smaller
  // limit is enforced before the body is read, so a small route never buffers a large body.
  size_t max_body_bytes = 0;
};

// One registered route as Router::Routes lists it.
struct RouteInfo {
  std::string method;     // "GET", ...; "*" for the fallback
  std::string pattern;    // as registered, e.g. "/api/2.0/mlflow/runs/get"; "*" for the fallback
  AccessPolicy policy;    // who may call it
  size_t max_body_bytes;  // RouteOptions::max_body_bytes (0 = the server's limit)
};

// The 404 ENDPOINT_NOT_FOUND JSON answer for a request no route takes.
Response NotFoundResponse(const Request& request);

class Router {
 public:
  // Registers a route with its access policy (required: a route without one does not build).
  // Register all routes before the server starts.
  void Add(const std::string& method, const std::string& pattern, AccessPolicy policy,
           Handler handler, RouteOptions options = {});
  // Sets the handler, and its policy, for requests whose path matches no route (instead of the
  // 404), e.g. a web app's files. Set it before the server starts.
  void SetFallback(AccessPolicy policy, Handler handler);
  // Sets the guard every dispatched request passes first. Set it before the server starts.
  void SetGuard(Guard guard) { guard_ = std::move(guard); }
  // Every route with its policy, in registration order, then the fallback when set.
  std::vector<RouteInfo> Routes() const;
  // Dispatches: fills request.path_params, runs the guard, then the handler. Unknown path -> the
  // fallback, or without one 404 ENDPOINT_NOT_FOUND; known path with another method -> 405. A
  // handler that throws yields a 500 INTERNAL_ERROR response (logged), never a crash.
  Response Dispatch(Request& request) const;
  // The body limit the route `method` `path` declares (RouteOptions::max_body_bytes), or 0
  // when it declares none or no route takes the request. `path` is percent-decoded.
  size_t BodyLimit(const std::string& method, const std::string& path) const;
  // The smallest limit any route declares (0 when none does): a body no larger needs no
  // BodyLimit lookup.
  size_t SmallestBodyLimit() const { return smallest_body_limit_; }

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
    RouteOptions options;
    AccessPolicy policy;
  };
  // The route Dispatch would run for `method` `path`, or nullptr; fills `parts` with the path's
  // segments and, when no route of that method matches, `allowed` with the methods that do.
  // Runs `handler` unless the guard answers for `policy`.
  Response Run(const Handler& handler, AccessPolicy policy, Request& request) const;
  const Route* Find(const std::string& method, const std::string& path,
                    std::vector<std::string_view>& parts,
                    std::vector<std::string_view>* allowed) const;
  // Routes without parameters, by normalized path: most requests cost one hash lookup.
  std::unordered_map<std::string, std::vector<Route>> literal_routes_;
  // Routes with parameters, tried in turn; the most specific match wins.
  std::vector<Route> param_routes_;
  Handler fallback_;  // empty: unknown paths get NotFoundResponse
  AccessPolicy fallback_policy_ = AccessPolicy::kPublic;
  Guard guard_;                     // empty: every request goes on
  std::vector<RouteInfo> listing_;  // every route as registered, for Routes()
  size_t smallest_body_limit_ = 0;
};

}  // namespace kiln::http
