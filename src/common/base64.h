// Base64 (RFC 4648): the standard alphabet (section 4, padded) for file contents in API bodies,
// and the URL-safe one (section 5, unpadded) for tokens and other text that travels in URLs and
// headers. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kiln {

// `bytes` in standard base64, padded with '=' to a multiple of 4 characters.
std::string EncodeBase64(std::string_view bytes);

// The bytes of strict standard base64: padded to a multiple of 4, '=' only at the end, no
// whitespace or other characters; nullopt when malformed.
std::optional<std::string> DecodeBase64(std::string_view text);

// `bytes` in URL-safe base64 ('-' and '_' for '+' and '/'), without padding.
std::string EncodeBase64Url(std::string_view bytes);

// The bytes of unpadded URL-safe base64 (as EncodeBase64Url writes it); nullopt when malformed:
// a character outside the alphabet, any '=', or a length that leaves a lone character (length
// % 4 == 1).
std::optional<std::string> DecodeBase64Url(std::string_view text);

}  // namespace kiln
