// Percent-decoding for paths and URIs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kiln {

// Decodes `in` into `out` (replacing its contents, reusing its capacity); with
// `plus_is_space`, '+' becomes ' '. Returns false for a malformed escape.
bool PercentDecodeTo(std::string_view in, bool plus_is_space, std::string& out);

// Decodes %XX escapes; with `plus_is_space`, '+' becomes ' ' (query strings). Returns
// nullopt for a malformed escape such as "%G1" or a truncated "%4".
std::optional<std::string> PercentDecode(const std::string& in, bool plus_is_space);

// Decodes repeatedly until the text stops changing (at most 8 rounds), so "%252e%252e"
// shows as "..". Malformed escapes are left as they are. For safety checks only.
std::string PercentDecodeFully(const std::string& in);

// True when `path` (after PercentDecodeFully) has a ".." segment, split on '/' or '\'.
bool HasParentSegment(const std::string& path);

}  // namespace kiln
