#include "http/request_guard.h"

#include <algorithm>

#include "http/origin_policy.h"

namespace kiln::http {
namespace {

constexpr const char* kForbidden = "PERMISSION_DENIED";

Response Forbidden(const std::string& message) { return Response::Error(403, kForbidden, message); }

const std::string* FindHeader(const Request& request, const char* lower_name) {
  auto it = request.headers.find(lower_name);
  return it == request.headers.end() ? nullptr : &it->second;
}

}  // namespace

Result<RequestGuard> RequestGuard::Create(const std::string& listen_host,
                                          const std::vector<std::string>& allowed_hosts,
                                          const std::vector<std::string>& cors_allowed_origins) {
  std::vector<std::string> origins;
  for (const std::string& value : cors_allowed_origins) {
    std::optional<std::string> origin = NormalizeOrigin(value);
    if (!origin) {
      return InvalidArgument("invalid allowed origin '" + value +
                             "': expected scheme://host[:port], e.g. https://app.example.com");
    }
    origins.push_back(std::move(*origin));
  }
  return RequestGuard(HostAllowList(listen_host, allowed_hosts), std::move(origins));
}

std::optional<Response> RequestGuard::Check(const Request& request, unsigned version) const {
  const std::string* host = FindHeader(request, "host");
  if (host == nullptr || host->empty()) {
    if (version >= 11) {
      return Response::Error(400, "BAD_REQUEST",
                             "Missing Host header: an HTTP/1.1 request must name its host");
    }
  } else if (!hosts_.Allows(*host)) {
    return Forbidden("Host '" + *host +
                     "' is not a name this server answers for (its own address and the loopback "
                     "names); allow it with --allowed-hosts");
  }
  const std::string* origin = FindHeader(request, "origin");
  if (request.method == "OPTIONS" && origin != nullptr &&
      request.headers.contains("access-control-request-method")) {
    if (IsAllowedOrigin(*origin)) return Preflight(*origin);
    return Forbidden("Cross-origin requests from '" + *origin +
                     "' are not allowed; list the origin in --cors-allowed-origins");
  }
  if (!IsStateChanging(request.method)) return std::nullopt;
  std::string refusal = CrossOriginRefusal(request);
  if (refusal.empty()) return std::nullopt;
  return Forbidden(refusal);
}

std::string RequestGuard::CrossOriginRefusal(const Request& request) const {
  const char* source = "Origin";
  std::optional<std::string> origin;
  if (const std::string* value = FindHeader(request, "origin")) {
    // Browsers send "null" from sandboxed pages, data: URLs and for a no-referrer page's form.
    if (*value == "null") {
      return "Cross-origin request refused: its Origin is 'null' (a sandboxed or opaque page)";
    }
    origin = NormalizeOrigin(*value);
    if (!origin) return "Cross-origin request refused: malformed Origin '" + *value + "'";
  } else if (const std::string* referer = FindHeader(request, "referer")) {
    source = "Referer";
    origin = OriginOfUrl(*referer);
    if (!origin) return "Cross-origin request refused: malformed Referer '" + *referer + "'";
  } else {
    return {};  // not sent by a browser page
  }
  const std::string host = request.Header("host");
  if (!host.empty() && IsSameOrigin(*origin, host)) return {};
  if (std::find(origins_.begin(), origins_.end(), *origin) != origins_.end()) return {};
  return "Cross-origin request refused: the " + std::string(source) + " '" + *origin +
         "' is not this server's origin" + (host.empty() ? "" : " (" + host + ")") +
         "; list it in --cors-allowed-origins to allow it";
}

bool RequestGuard::IsAllowedOrigin(const std::string& origin) const {
  if (origins_.empty()) return false;
  std::optional<std::string> normalized = NormalizeOrigin(origin);
  return normalized && std::find(origins_.begin(), origins_.end(), *normalized) != origins_.end();
}

Response RequestGuard::Preflight(const std::string& origin) const {
  Response response;
  response.status = 204;
  response.content_type.clear();
  response.headers = {{"Access-Control-Allow-Origin", origin},
                      {"Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE"},
                      {"Access-Control-Allow-Headers", "Content-Type, Authorization"},
                      {"Access-Control-Max-Age", "600"},
                      {"Vary", "Origin"}};
  return response;
}

void RequestGuard::AddCorsHeaders(const Request& request, Response& response) const {
  if (origins_.empty()) return;
  response.headers.emplace_back("Vary", "Origin");
  const std::string* origin = FindHeader(request, "origin");
  if (origin != nullptr && IsAllowedOrigin(*origin)) {
    response.headers.emplace_back("Access-Control-Allow-Origin", *origin);
  }
}

}  // namespace kiln::http
