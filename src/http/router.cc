#include "http/router.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <string_view>

namespace kiln::http {

namespace {

// Lower ranks are more specific; a route's ranks, compared lexicographically, decide
// which of several matching routes wins ("/runs/search" over "/runs/{id}").
enum Rank : int { kLiteral = 0, kParam = 1, kTail = 2 };

Rank SegmentRank(std::string_view segment) {
  if (segment.size() < 2 || segment.front() != '{' || segment.back() != '}') return kLiteral;
  return segment.ends_with("...}") ? kTail : kParam;
}

std::string_view ParamName(std::string_view segment, Rank rank) {
  size_t suffix = rank == kTail ? 4 : 1;  // "...}" or "}"
  return segment.substr(1, segment.size() - 1 - suffix);
}

// Splits "/a/b/c" into {"a", "b", "c"}; "/" gives {""}. The leading '/' is optional.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      parts.push_back(path.substr(start));
      return parts;
    }
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

struct MatchScore {
  std::vector<int> ranks;
  bool operator<(const MatchScore& other) const { return ranks < other.ranks; }
};

// Matches `segments` against the path parts. A tail segment takes the rest of the path,
// which may be empty ("/files" and "/files/" both match "/files/{path...}").
bool Matches(const std::vector<std::string>& segments, const std::vector<std::string_view>& parts,
             MatchScore* score) {
  score->ranks.clear();
  bool has_tail = !segments.empty() && SegmentRank(segments.back()) == kTail;
  if (!has_tail && segments.size() != parts.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    Rank rank = SegmentRank(segments[i]);
    score->ranks.push_back(rank);
    if (rank == kTail) return i == segments.size() - 1;
    if (i >= parts.size()) return false;
    if (rank == kParam ? parts[i].empty() : parts[i] != segments[i]) return false;
  }
  return segments.size() == parts.size();
}

// The rest of `path` from its part number `index` on, borrowing from `path`.
std::string_view Tail(std::string_view path, const std::vector<std::string_view>& parts,
                      size_t index) {
  if (index >= parts.size()) return {};
  return path.substr(static_cast<size_t>(parts[index].data() - path.data()));
}

void FillParams(const std::vector<std::string>& segments,
                const std::vector<std::string_view>& parts, Request& request) {
  request.path_params.clear();
  for (size_t i = 0; i < segments.size(); ++i) {
    Rank rank = SegmentRank(segments[i]);
    if (rank == kLiteral) continue;
    std::string_view value = rank == kTail ? Tail(request.path, parts, i) : parts[i];
    request.path_params.emplace(ParamName(segments[i], rank), value);
  }
}

Response MethodNotAllowedResponse(const Request& request, const std::string& allowed) {
  Response response = Response::Error(
      405, "BAD_REQUEST", "Method " + request.method + " is not allowed for " + request.path);
  response.headers.emplace_back("Allow", allowed);
  return response;
}

std::string JoinUnique(const std::vector<std::string_view>& methods) {
  std::string joined;
  for (size_t i = 0; i < methods.size(); ++i) {
    if (std::find(methods.begin(), methods.begin() + i, methods[i]) != methods.begin() + i) {
      continue;
    }
    if (!joined.empty()) joined += ", ";
    joined += methods[i];
  }
  return joined;
}

Response RunHandler(const Handler& handler, Request& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    spdlog::error("handler for {} {} threw: {}", request.method, request.path, e.what());
  } catch (...) {
    spdlog::error("handler for {} {} threw a non-std exception", request.method, request.path);
  }
  return Response::Error(500, "INTERNAL_ERROR", "Internal error while handling the request");
}

}  // namespace

Response NotFoundResponse(const Request& request) {
  return Response::Error(404, "ENDPOINT_NOT_FOUND",
                         "No endpoint for " + request.method + " " + request.path);
}

void Router::Add(const std::string& method, const std::string& pattern, AccessPolicy policy,
                 Handler handler, RouteOptions options) {
  listing_.push_back(RouteInfo{method, pattern, policy, options.max_body_bytes});
  Route route;
  route.method = method;
  route.policy = policy;
  bool literal = true;
  std::string normalized;
  for (std::string_view part : SplitPath(pattern)) {
    literal = literal && SegmentRank(part) == kLiteral;
    normalized.append("/").append(part);
    route.segments.emplace_back(part);
  }
  route.handler = std::move(handler);
  route.options = options;
  if (options.max_body_bytes > 0 &&
      (smallest_body_limit_ == 0 || options.max_body_bytes < smallest_body_limit_)) {
    smallest_body_limit_ = options.max_body_bytes;
  }
  if (literal) {
    literal_routes_[normalized].push_back(std::move(route));
  } else {
    param_routes_.push_back(std::move(route));
  }
}

void Router::SetFallback(AccessPolicy policy, Handler handler) {
  fallback_ = std::move(handler);
  fallback_policy_ = policy;
}

std::vector<RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> routes = listing_;
  if (fallback_) routes.push_back(RouteInfo{"*", "*", fallback_policy_, 0});
  return routes;
}

const Router::Route* Router::Find(const std::string& method, const std::string& path,
                                  std::vector<std::string_view>& parts,
                                  std::vector<std::string_view>* allowed) const {
  auto literal = literal_routes_.find(path);
  if (literal != literal_routes_.end()) {
    // An exact match outranks every route with parameters.
    for (const Route& route : literal->second) {
      if (route.method == method) return &route;
    }
  }
  parts = SplitPath(path);
  const Route* best = nullptr;
  MatchScore best_score;
  MatchScore score;
  for (const Route& route : param_routes_) {
    if (!Matches(route.segments, parts, &score)) continue;
    if (route.method != method) {
      if (allowed != nullptr) allowed->push_back(route.method);
    } else if (best == nullptr || score < best_score) {
      best = &route;
      std::swap(best_score, score);
    }
  }
  if (best == nullptr && allowed != nullptr && literal != literal_routes_.end()) {
    for (const Route& route : literal->second) allowed->push_back(route.method);
  }
  return best;
}

Response Router::Dispatch(Request& request) const {
  request.path_params.clear();
  if (request.path.empty() || request.path.front() != '/') return NotFoundResponse(request);
  std::vector<std::string_view> parts;
  std::vector<std::string_view> allowed;
  const Route* route = Find(request.method, request.path, parts, &allowed);
  if (route != nullptr) {
    if (!parts.empty()) FillParams(route->segments, parts, request);
    return Run(route->handler, route->policy, request);
  }
  if (allowed.empty()) {
    return fallback_ ? Run(fallback_, fallback_policy_, request) : NotFoundResponse(request);
  }
  return MethodNotAllowedResponse(request, JoinUnique(allowed));
}

Response Router::Run(const Handler& handler, AccessPolicy policy, Request& request) const {
  if (guard_) {
    if (std::optional<Response> refusal = guard_(request, policy)) return std::move(*refusal);
  }
  return RunHandler(handler, request);
}

size_t Router::BodyLimit(const std::string& method, const std::string& path) const {
  if (path.empty() || path.front() != '/') return 0;
  std::vector<std::string_view> parts;
  const Route* route = Find(method, path, parts, nullptr);
  return route == nullptr ? 0 : route->options.max_body_bytes;
}

}  // namespace kiln::http
