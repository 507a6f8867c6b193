// Internal helpers for request targets, shared by message.cc and server.cc. Not part of
// the handler-facing API.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/percent.h"

namespace kiln::http {

// Parses "a=1&b=x+y&a=2" into `out` (appending), decoding keys and values ('+' is a
// space). Empty pieces are skipped; "k" alone gives an empty value. Returns false for a
// malformed escape.
bool ParseQueryString(std::string_view query, std::multimap<std::string, std::string>& out);

}  // namespace kiln::http
