// The status line and header fields of a response with a plain (in-memory) body, written as
// text by hand: cheaper than building a Beast message field by field for every answer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/message.h"

namespace kiln::http {

// Whether a response header is safe to send: a token-like name, and no CR, LF or NUL in the
// value (a handler's CR or LF would otherwise split the response).
bool IsSafeHeader(std::string_view name, std::string_view value);

// Whether `status` must not carry a body (1xx, 204, 304).
bool IsBodilessStatus(unsigned status);

// Appends to `out` the head of `response` with status `status` (already valid, 100..999) for a
// request of HTTP `version` (10 or 11): the status line with its standard reason, Content-Type
// (if set), response.headers (unsafe ones dropped with a warning), the security fields
// (security_headers.h: kSecurityFields, and kDefaultCsp unless the response sets its own
// Content-Security-Policy), Content-Length
// `content_length` (left out for bodiless statuses) and the Connection field that `keep_alive`
// needs on that version, then the blank line. Thread-safe.
void AppendResponseHead(const Response& response, unsigned status, unsigned version,
                        bool keep_alive, size_t content_length, std::string& out);

}  // namespace kiln::http
