// Base64 (RFC 4648) in the standard alphabet with padding (HTTP Basic credentials) and the URL
// alphabet without padding (tokens).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kiln::auth {

enum class Base64Alphabet { kStandard, kUrl };

// `bytes` encoded; kStandard pads with '=', kUrl does not. Pure function.
std::string Base64Encode(std::string_view bytes, Base64Alphabet alphabet);

// The bytes `text` encodes, or nullopt when it is not valid base64 in `alphabet` (a character
// outside it, a wrong length, misplaced or, for kStandard, missing padding). Pure function.
std::optional<std::string> Base64Decode(std::string_view text, Base64Alphabet alphabet);

}  // namespace kiln::auth
