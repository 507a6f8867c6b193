// Random secrets and their digests: API tokens ("kiln_" + 43 base64url characters of 32 random
// bytes), generated passwords, SHA-256 and constant-time comparison. Tokens are shown once and
// stored only as their SHA-256, next to a short prefix that identifies them in listings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::auth {

// What every token starts with, so a token is recognisable (and greppable by secret scanners).
inline constexpr std::string_view kTokenMarker = "kiln_";
// Characters of a token kept as its prefix: the marker and 8 of the random part.
inline constexpr size_t kTokenPrefixLength = 13;

// A freshly made token. The secret leaves the process once (printed or returned) and is never
// stored; `hash` and `prefix` are.
struct NewToken {
  std::string secret;  // "kiln_..." (48 characters)
  std::string prefix;  // TokenPrefix(secret)
  std::string hash;    // TokenHash(secret)
};

// `count` bytes from OpenSSL's CSPRNG. Errors: kInternal when it cannot produce them (never
// falls back to a weaker source). Thread-safe.
Result<std::string> RandomBytes(size_t count);
// A new token. Errors: as RandomBytes. Thread-safe.
Result<NewToken> MakeToken();
// A new random password for a person to paste: 24 base64url characters (144 bits). Errors: as
// RandomBytes. Thread-safe.
Result<std::string> MakePassword();

// Lowercase hex SHA-256 of `text`. Pure function.
std::string Sha256Hex(std::string_view text);
// HMAC-SHA-256 of `text` under `key`, as raw bytes. Pure function.
std::string HmacSha256(std::string_view key, std::string_view text);
// The stored form of a token: Sha256Hex of the whole secret.
inline std::string TokenHash(std::string_view secret) { return Sha256Hex(secret); }
// The first kTokenPrefixLength characters of `secret` (all of it when shorter).
std::string TokenPrefix(std::string_view secret);
// Whether `text` has a token's shape: the marker then 43 base64url characters. Pure function.
bool LooksLikeToken(std::string_view text);
// a == b, in time that depends on the lengths only (CRYPTO_memcmp). Pure function.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace kiln::auth
