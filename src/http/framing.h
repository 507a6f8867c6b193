// Whether a request's body framing can be trusted (RFC 9112 6.1 and 6.3). A Transfer-Encoding
// the server does not apply, or one that conflicts with Content-Length, lets the server and a
// proxy in front of it disagree where the body ends: the rest would be read as a second
// request (request smuggling). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kiln::http {

// Why a request with these Transfer-Encoding field values (one per field line), a
// Content-Length field or not, and HTTP `version` (10 or 11) must be refused with 400 and a
// closed connection; empty when its framing is fine. Accepted: no Transfer-Encoding, or on
// HTTP/1.1 exactly one field whose value is "chunked" (any case) without Content-Length.
std::string FramingError(const std::vector<std::string_view>& transfer_encodings,
                         bool has_content_length, unsigned version);

}  // namespace kiln::http
