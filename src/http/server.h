// Server: an HTTP/1.1 server (Boost.Beast/Asio) with keep-alive, body size limits, the checks
// against web pages and floods of connections (Host, Origin, CORS, security headers, caps) and
// a one-line access log per request. Knows nothing of the domain.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/router.h"

namespace kiln::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  // I/O threads, 0 = one per core. A connection stays on one of them (dealt out in turn by
  // an accept thread), so a handler that blocks delays the other connections of its thread.
  int threads = 0;
  // Larger bodies get 413 JSON; a route may declare a smaller limit (RouteOptions).
  size_t max_body_bytes = 64 * 1024 * 1024;
  bool access_log = true;           // "METHOD path status ms" per request
  int max_streams = 64;             // open streamed responses (a thread each); more get 503 JSON
  int max_streams_per_client = 16;  // of those, per client address (ClientKey); 503 beyond
  // Host names answered besides the loopback names and addresses, `host` itself and, when
  // `host` is a wildcard address, every IP literal: "kiln.example.com", "*.example.com", "*".
  // Other Host headers get 403.
  std::vector<std::string> allowed_hosts;
  // Origins ("https://app.example.com") whose pages may call the server: they get CORS
  // answers, and their state-changing requests pass the Origin check (others get 403).
  std::vector<std::string> cors_allowed_origins;
  // Open connections at most, in total (0 = DefaultMaxConnections of the open-file limit,
  // which Start first raises to the hard limit: a process-wide change) and per client
  // address (IPv6: per /64). Beyond, a connection gets 503 and is closed.
  size_t max_connections = 0;
  size_t max_connections_per_client = 256;
  // A body must arrive at `min_body_bytes_per_second` on average once `body_grace` has
  // passed since its header; slower ones get 408 and the connection closes.
  size_t min_body_bytes_per_second = 1024;
  std::chrono::seconds body_grace{10};
  // How long after a request's header arrived its handler's work stays wanted
  // (RequestContext::deadline); long polls end by it.
  std::chrono::seconds request_deadline{120};
};

class Server {
 public:
  // `router` must outlive the server.
  Server(ServerOptions options, const Router& router);
  ~Server();
  // Binds and starts serving on background threads. Returns the bound port.
  // Errors: kInvalidArgument for a malformed allowed origin or a zero cap, kUnavailable when
  // the address cannot be bound.
  Result<uint16_t> Start();
  // Stops accepting, closes connections, joins threads (stream threads too, once their
  // producers return). Idempotent. Waits for running handlers, so it must not be called
  // from one.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiln::http
