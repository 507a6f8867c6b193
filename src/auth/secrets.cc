#include "auth/secrets.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "common/base64.h"

namespace kiln::auth {
namespace {

constexpr size_t kTokenRandomBytes = 32;
constexpr size_t kTokenRandomChars = 43;  // base64url of 32 bytes, unpadded

std::string Hex(const unsigned char* bytes, size_t size) {
  static const char kHex[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return out;
}

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

Result<std::string> RandomBytes(size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    return Internal("the random number generator failed; no secret was made");
  }
  return bytes;
}

Result<NewToken> MakeToken() {
  KILN_ASSIGN_OR_RETURN(std::string bytes, RandomBytes(kTokenRandomBytes));
  NewToken token;
  token.secret = std::string(kTokenMarker) + EncodeBase64Url(bytes);
  token.prefix = TokenPrefix(token.secret);
  token.hash = TokenHash(token.secret);
  return token;
}

Result<std::string> MakePassword() {
  KILN_ASSIGN_OR_RETURN(std::string bytes, RandomBytes(18));
  return EncodeBase64Url(bytes);
}

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return Hex(digest, sizeof digest);
}

std::string HmacSha256(std::string_view key, std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest, &size);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string TokenPrefix(std::string_view secret) {
  return std::string(secret.substr(0, kTokenPrefixLength));
}

bool LooksLikeToken(std::string_view text) {
  if (text.size() != kTokenMarker.size() + kTokenRandomChars) return false;
  if (text.substr(0, kTokenMarker.size()) != kTokenMarker) return false;
  for (char c : text.substr(kTokenMarker.size())) {
    if (!IsBase64UrlChar(c)) return false;
  }
  return true;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace kiln::auth
