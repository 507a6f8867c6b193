// One HTTP/1.1 connection of the Server: reads requests, dispatches them to the router
// and writes the responses, keeping the connection alive when the client asks.
// Internal to http/; includes Asio (never Beast), so only server.cc and session.cc use it.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "http/router.h"
#include "http/server.h"

namespace kiln::http {

// Serves `socket` until the peer closes it, an error or timeout occurs, or the socket's
// io_context is stopped and destroyed. The socket's executor must be a strand. `router`
// and `options` must outlive the io_context.
void StartSession(boost::asio::ip::tcp::socket socket, const Router& router,
                  const ServerOptions& options);

}  // namespace kiln::http
