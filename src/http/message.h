// Request and Response: plain values the router hands to handlers. No Beast types here,
// so handlers (api/) compile without Beast headers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/request_context.h"
#include "http/event_stream.h"

namespace kiln::http {

struct Request {
  std::string method;  // upper case: "GET", "POST", ...
  std::string target;  // raw request target, e.g. "/api/2.0/mlflow/runs/get?run_id=1"
  std::string path;    // percent-decoded path without the query string
  std::multimap<std::string, std::string> query;   // percent-decoded; '+' is a space
  std::map<std::string, std::string> headers;      // names lower-cased
  std::map<std::string, std::string> path_params;  // filled by the router
  std::string body;
  // Who asks, from where (context.peer: the client's address as the server saw it, "127.0.0.1",
  // "::1"; empty for a request run in-process, which no network client can send) and its
  // request id; the server fills it before dispatch.
  RequestContext context;

  // First value of a query parameter, if present.
  std::optional<std::string> QueryParam(const std::string& name) const;
  // All values of a repeated query parameter, in order.
  std::vector<std::string> QueryParams(const std::string& name) const;
  // A header by lower-case name, or "" when absent.
  std::string Header(const std::string& lower_name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // When set, the body is streamed from this file instead of `body`.
  std::optional<std::string> file_path;
  // When set, the body is pulled from this producer as it comes (chunked on HTTP/1.1) and
  // the connection closes after it; `body` and `file_path` are ignored. The server answers
  // 503 instead when ServerOptions::max_streams streams are already open.
  std::optional<StreamBody> stream;
  std::vector<std::pair<std::string, std::string>> headers;

  // A response with a JSON body.
  static Response Json(int status, std::string json_body);
  // {"error_code": code, "message": message} with the given status.
  static Response Error(int status, const std::string& error_code, const std::string& message);
};

}  // namespace kiln::http
