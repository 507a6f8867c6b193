// EventStream: the producer behind a streamed response body, such as Server-Sent Events.
// A handler returns it in Response::stream; the server pulls chunks from it on a stream
// thread of its own, so a producer may block, and writes them to the client as they come.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace kiln::http {

class EventStream {
 public:
  virtual ~EventStream() = default;
  // The next chunk of the body, waiting at most about `wait` for it: a non-empty chunk, ""
  // when nothing came in time, or nullopt once the body is complete. Called by one stream
  // thread, one call at a time, never on an I/O thread. The server destroys the producer on
  // that thread soon after the body ends or the client goes away; one that never starts
  // (a HEAD request, too many streams) is destroyed on an I/O thread, so its destructor
  // must not block.
  virtual std::optional<std::string> Next(std::chrono::milliseconds wait) = 0;
};

// A streamed response body and its keep-alive policy.
struct StreamBody {
  // Shared so that Response stays copyable; only the stream thread calls it.
  std::shared_ptr<EventStream> producer;
  // Written when nothing else was written for `heartbeat_every`; empty means never. Lets
  // proxies keep the connection open and finds clients that went away.
  std::string heartbeat;
  std::chrono::milliseconds heartbeat_every{15000};
};

}  // namespace kiln::http
