// Parsing an HTTP Authorization header into credentials: "Bearer TOKEN" or
// "Basic base64(user:password)" (RFC 6750, RFC 7617; scheme names are case-insensitive).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::auth {

// Longest Authorization header accepted, in bytes.
inline constexpr size_t kMaxAuthorizationLength = 4096;

struct Credentials {
  bool basic = false;  // Basic (user and secret) or Bearer (secret only)
  std::string user;    // Basic only
  std::string secret;  // the token or password
};

// The credentials in `header`; nullopt for an empty header (no credentials). Errors:
// kUnauthenticated for a header longer than kMaxAuthorizationLength, an unknown scheme, a
// missing or blank token, Basic credentials that are not base64 of "user:password" or have an
// empty user. Messages never contain the header's secret. Pure function.
Result<std::optional<Credentials>> ParseAuthorization(std::string_view header);

}  // namespace kiln::auth
