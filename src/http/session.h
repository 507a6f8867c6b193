// One HTTP/1.1 connection of the Server: reads requests, dispatches them to the router
// and writes the responses, keeping the connection alive when the client asks.
// Internal to http/; includes Asio (never Beast), so only server.cc and session.cc use it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/router.h"
#include "http/server.h"
#include "http/stream_pool.h"

namespace kiln::http {

// A connection's executor: its I/O thread's io_context, which only that thread runs, so
// a connection's handlers never run concurrently and need no strand. The concrete type
// spares every I/O operation the indirection of Asio's type-erased default executor.
using Executor = boost::asio::io_context::executor_type;
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;

// Serves `socket` until the peer closes it, an error or timeout occurs, or the socket's
// io_context is stopped and destroyed. Runs on the socket's io_context, which exactly one
// thread runs. A streamed response hands the connection to a
// stream writer and its producer to a thread of `streams`. `router`, `options` and
// `streams` must outlive the io_context.
void StartSession(Socket socket, const Router& router, const ServerOptions& options,
                  StreamPool& streams);

}  // namespace kiln::http
