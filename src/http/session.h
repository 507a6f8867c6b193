// One HTTP/1.1 connection of the Server: reads requests, dispatches them to the router
// and writes the responses, keeping the connection alive when the client asks.
// Internal to http/; includes Asio (never Beast), so only server.cc and session.cc use it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

#include "http/router.h"
#include "http/server.h"
#include "http/stream_pool.h"

namespace kiln::http {

// A connection's socket bound to its own strand. The concrete executor type spares every
// I/O operation the indirection of Asio's type-erased default executor.
using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
using StrandSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Strand>;

// Serves `socket` until the peer closes it, an error or timeout occurs, or the socket's
// io_context is stopped and destroyed. A streamed response hands the connection to a
// stream writer and its producer to a thread of `streams`. `router`, `options` and
// `streams` must outlive the io_context.
void StartSession(StrandSocket socket, const Router& router, const ServerOptions& options,
                  StreamPool& streams);

}  // namespace kiln::http
