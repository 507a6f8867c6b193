#include "auth/authorization.h"

#include <cctype>

#include "common/base64.h"
#include "common/text.h"

namespace kiln::auth {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool HasSpaceOrControl(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return true;
  }
  return false;
}

Result<Credentials> ParseBasic(std::string_view encoded) {
  std::optional<std::string> decoded = DecodeBase64(encoded);
  if (!decoded) return Unauthenticated("malformed Basic credentials: not base64");
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) {
    return Unauthenticated("malformed Basic credentials: expected base64 of user:password");
  }
  Credentials credentials;
  credentials.basic = true;
  credentials.user = decoded->substr(0, colon);
  credentials.secret = decoded->substr(colon + 1);
  if (credentials.user.empty()) return Unauthenticated("malformed Basic credentials: empty user");
  return credentials;
}

}  // namespace

Result<std::optional<Credentials>> ParseAuthorization(std::string_view header) {
  if (header.size() > kMaxAuthorizationLength) {
    return Unauthenticated("the Authorization header is longer than " +
                           std::to_string(kMaxAuthorizationLength) + " bytes");
  }
  header = Trim(header);
  if (header.empty()) return std::optional<Credentials>();
  const size_t space = header.find(' ');
  const std::string_view scheme = header.substr(0, space);
  const std::string_view value =
      space == std::string_view::npos ? std::string_view() : Trim(header.substr(space + 1));
  const bool bearer = EqualsIgnoreCase(scheme, "Bearer");
  if (!bearer && !EqualsIgnoreCase(scheme, "Basic")) {
    return Unauthenticated("unsupported Authorization scheme: use Bearer TOKEN or Basic");
  }
  if (value.empty() || HasSpaceOrControl(value)) {
    return Unauthenticated(std::string("malformed Authorization header: expected ") +
                           (bearer ? "Bearer TOKEN" : "Basic base64(user:password)"));
  }
  if (!bearer) {
    KILN_ASSIGN_OR_RETURN(Credentials basic, ParseBasic(value));
    return std::optional<Credentials>(std::move(basic));
  }
  Credentials credentials;
  credentials.secret = std::string(value);
  return std::optional<Credentials>(std::move(credentials));
}

}  // namespace kiln::auth
