// One HTTP/1.1 connection of the Server: reads requests, checks them (framing, RequestGuard,
// body limits), dispatches them to the router and writes the responses, keeping the connection
// alive when the client asks.
// Internal to http/; includes Asio (never Beast), so only server.cc and session.cc use it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string>

#include "http/connection_limiter.h"
#include "http/log_throttle.h"
#include "http/request_guard.h"
#include "http/router.h"
#include "http/server.h"
#include "http/stream_pool.h"

namespace kiln::http {

// A connection's executor: its I/O thread's io_context, which only that thread runs, so
// a connection's handlers never run concurrently and need no strand. The concrete type
// spares every I/O operation the indirection of Asio's type-erased default executor.
using Executor = boost::asio::io_context::executor_type;
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;

// What all connections of one Server share. Owned by the Server; outlives its io_contexts.
struct SessionShared {
  const Router& router;
  const ServerOptions& options;
  const RequestGuard& guard;
  StreamPool& streams;
  LogThrottle& stream_refusals;  // throttles the log lines of refused streams
};

// The client at the other end of a connection.
struct Peer {
  std::string address;  // as text: "127.0.0.1", "::1"
  std::string key;      // ClientKey: what its connections and streams are counted under
};

// Serves `socket` until the peer closes it, an error or timeout occurs, or the socket's
// io_context is stopped and destroyed. Runs on the socket's io_context, which exactly one
// thread runs. A streamed response hands the connection (and `slot`) to a stream writer and
// its producer to a thread of `shared.streams`. Holds `slot` while the connection is open.
void StartSession(Socket socket, Peer peer, ConnectionLimiter::Slot slot, SessionShared& shared);

}  // namespace kiln::http
