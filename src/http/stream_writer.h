// Writes a streamed response to its connection: the header, then the chunks a StreamChannel
// delivers, as they come. Internal to http/; includes Asio (never Beast).
#pragma once

#include <memory>
#include <string>

#include "http/connection_limiter.h"
#include "http/session.h"
#include "http/stream_channel.h"

namespace kiln::http {

// Takes over `socket` to write `head` (the serialized response header) and then the body
// from `channel`, framed as HTTP/1.1 chunks when `chunked`, else raw until the connection
// closes. Closes the connection when the body ends or after a write timeout; closes
// `channel` as soon as the client goes away (a read sees EOF or a write fails), which
// stops the pump. Lives on the socket's io_context; destroyed with the io_context at the latest.
// Holds the connection's `slot` until then.
void StartStreamWriter(Socket socket, std::string head, bool chunked,
                       std::shared_ptr<StreamChannel> channel, ConnectionLimiter::Slot slot);

}  // namespace kiln::http
