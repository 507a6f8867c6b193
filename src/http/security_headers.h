// The header fields every response carries so that a browser never runs, frames or sniffs
// what the server sends in a way its pages did not intend: an HTML file uploaded as an
// artifact must not run script on the server's origin.
#pragma once

#include <string_view>

#include "http/message.h"

namespace kiln::http {

// Sent with every response, as written (status-line style "Name: value\r\n" fields).
inline constexpr std::string_view kSecurityFields =
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: same-origin\r\n";

// The Content-Security-Policy of a response that sets none itself (every API and artifact
// answer): nothing loads, nothing runs, nothing frames it, and a document is sandboxed.
inline constexpr std::string_view kDefaultCsp =
    "default-src 'none'; frame-ancestors 'none'; sandbox";
inline constexpr std::string_view kCspName = "Content-Security-Policy";
// kDefaultCsp as a header field.
inline constexpr std::string_view kDefaultCspField =
    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'; sandbox\r\n";

// Whether `response` sets its own Content-Security-Policy (a web page's files do).
bool SetsOwnCsp(const Response& response);

}  // namespace kiln::http
