// Client: a small blocking HTTP/1.1 client with keep-alive, for the CLI (--server),
// benchmarks and tests. Not thread-safe; use one per thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "http/message.h"

namespace kiln::http {

class Client {
 public:
  // `base_url` like "http://127.0.0.1:8080" (no TLS). Connects lazily.
  explicit Client(std::string base_url);
  ~Client();
  // Sends one request on the kept-alive connection, reconnecting once if the server
  // closed it. Errors: kInvalidArgument for a bad URL, kUnavailable when it cannot connect.
  Result<Response> Send(const std::string& method, const std::string& target,
                        const std::string& body = "",
                        const std::string& content_type = "application/json");

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiln::http
