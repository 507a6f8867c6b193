// Router: maps (method, path pattern) to a handler.
// Patterns are literal segments, "{name}" (one segment) and a final "{name...}" (the rest
// of the path, possibly empty or containing '/'). Thread-safe for lookups once built.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/message.h"

namespace kiln::http {

using Handler = std::function<Response(Request&)>;

// What a route declares besides its handler.
struct RouteOptions {
  // Largest request body the route accepts; 0 = the server's limit (ServerOptions). A smaller
  // limit is enforced before the body is read, so a small route never buffers a large body.
  size_t max_body_bytes = 0;
};

// The 404 ENDPOINT_NOT_FOUND JSON answer for a request no route takes.
Response NotFoundResponse(const Request& request);

class Router {
 public:
  // Registers a route. Register all routes before the server starts.
  void Add(const std::string& method, const std::string& pattern, Handler handler,
           RouteOptions options = {});
  // Sets the handler for requests whose path matches no route (instead of the 404), e.g. a
  // web app's files. Set it before the server starts.
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }
  // Dispatches: fills request.path_params and runs the handler. Unknown path -> the fallback,
  // or without one 404 ENDPOINT_NOT_FOUND; known path with another method -> 405. A handler that
  // throws yields a 500 INTERNAL_ERROR response (logged), never a crash.
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
  };
  // The route Dispatch would run for `method` `path`, or nullptr; fills `parts` with the path's
  // segments and, when no route of that method matches, `allowed` with the methods that do.
  const Route* Find(const std::string& method, const std::string& path,
                    std::vector<std::string_view>& parts,
                    std::vector<std::string_view>* allowed) const;
  // Routes without parameters, by normalized path: most requests cost one hash lookup.
  std::unordered_map<std::string, std::vector<Route>> literal_routes_;
  // Routes with parameters, tried in turn; the most specific match wins.
  std::vector<Route> param_routes_;
  Handler fallback_;  // empty: unknown paths get NotFoundResponse
  size_t smallest_body_limit_ = 0;
};

}  // namespace kiln::http
