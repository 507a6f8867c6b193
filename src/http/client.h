// Client: a small blocking HTTP/1.1 client with keep-alive, for the CLI (--server),
// benchmarks and tests. Not thread-safe; use one per thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

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

  // Takes the pieces of a body as they arrive; an error stops the transfer and is returned.
  using BodySink = std::function<Status(std::string_view piece)>;
  // GETs `target` like Send, but hands a 200 answer's body to `sink` piece by piece instead of
  // keeping it (the returned body is then empty), so any size fits in little memory. Other
  // answers come back whole. Errors: as Send; `sink`'s error (the connection is closed then);
  // kUnavailable when the connection drops mid-body.
  Result<Response> Fetch(const std::string& target, const BodySink& sink);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiln::http
