// What a client learns of an internal error: that one happened, and an id to quote. The
// details (often paths, SQL or library messages) go to the server log under that id.
#pragma once

#include <string>

#include "http/message.h"

namespace kiln::http {

// The answer to send instead of the 500 `response` to `request`: {"error_code":
// "INTERNAL_ERROR", "message": "Internal error (request id ID)", "request_id": ID} with an
// X-Request-Id header, ID being the request's id (request.context.request_id, or a new one). Logs
// the original body (or what kind of body it was) with the method, path and id at error level.
// Thread-safe.
Response HideInternalError(const Response& response, const Request& request);

}  // namespace kiln::http
