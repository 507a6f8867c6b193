// Server: an HTTP/1.1 server (Boost.Beast/Asio) with keep-alive, a body size limit and a
// one-line access log per request. Knows nothing of the domain.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "http/router.h"

namespace kiln::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  // I/O threads, 0 = one per core. A connection stays on one of them (dealt out in turn by
  // an accept thread), so a handler that blocks delays the other connections of its thread.
  int threads = 0;
  size_t max_body_bytes = 64 * 1024 * 1024;  // larger bodies get 413 JSON
  bool access_log = true;                    // "METHOD path status ms" per request
  int max_streams = 64;  // open streamed responses (a thread each); more get 503 JSON
};

class Server {
 public:
  // `router` must outlive the server.
  Server(ServerOptions options, const Router& router);
  ~Server();
  // Binds and starts serving on background threads. Returns the bound port.
  // Errors: kUnavailable when the address cannot be bound.
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
