#include "auth/password_hash.h"

#include <openssl/evp.h>

#include <cstdio>
#include <vector>

#include "auth/secrets.h"
#include "common/base64.h"
#include "common/text.h"

namespace kiln::auth {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

struct Decoded {
  ScryptParams params;
  std::string salt;
  std::string hash;
};

Status CheckParams(const ScryptParams& p) {
  if (p.log2_n < 10 || p.log2_n > 22 || p.r < 1 || p.r > 32 || p.p < 1 || p.p > 16) {
    return InvalidArgument("scrypt parameters out of range (ln 10..22, r 1..32, p 1..16)");
  }
  return Status::Ok();
}

Result<std::string> Derive(std::string_view password, std::string_view salt,
                           const ScryptParams& p) {
  const uint64_t n = uint64_t{1} << p.log2_n;
  // scrypt needs 128 * r * (N + p) bytes; leave OpenSSL headroom above that.
  const uint64_t max_memory = 128 * uint64_t(p.r) * (n + uint64_t(p.p) + 2) + (1u << 20);
  std::string key(kHashBytes, '\0');
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), n,
                     uint64_t(p.r), uint64_t(p.p), max_memory,
                     reinterpret_cast<unsigned char*>(key.data()), key.size()) != 1) {
    return Internal("scrypt failed (out of memory?)");
  }
  return key;
}

Result<Decoded> Decode(std::string_view encoded) {
  const Status bad = Internal("a stored password hash is not in the scrypt$... format");
  const std::vector<std::string_view> parts = SplitOn(encoded, '$');
  if (parts.size() != 4 || parts[0] != "scrypt") return bad;
  Decoded d;
  const std::string params(parts[1]);
  int used = 0;
  if (std::sscanf(params.c_str(), "ln=%d,r=%d,p=%d%n", &d.params.log2_n, &d.params.r, &d.params.p,
                  &used) != 3 ||
      used != static_cast<int>(params.size()) || !CheckParams(d.params).ok()) {
    return bad;
  }
  std::optional<std::string> salt = DecodeBase64Url(parts[2]);
  std::optional<std::string> hash = DecodeBase64Url(parts[3]);
  if (!salt || !hash || salt->empty() || hash->size() != kHashBytes) return bad;
  d.salt = std::move(*salt);
  d.hash = std::move(*hash);
  return d;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, const ScryptParams& params) {
  KILN_RETURN_IF_ERROR(CheckParams(params));
  KILN_ASSIGN_OR_RETURN(std::string salt, RandomBytes(kSaltBytes));
  KILN_ASSIGN_OR_RETURN(std::string key, Derive(password, salt, params));
  return "scrypt$ln=" + std::to_string(params.log2_n) + ",r=" + std::to_string(params.r) +
         ",p=" + std::to_string(params.p) + "$" + EncodeBase64Url(salt) + "$" +
         EncodeBase64Url(key);
}

Result<bool> VerifyPassword(std::string_view password, std::string_view encoded) {
  KILN_ASSIGN_OR_RETURN(Decoded d, Decode(encoded));
  KILN_ASSIGN_OR_RETURN(std::string key, Derive(password, d.salt, d.params));
  return ConstantTimeEquals(key, d.hash);
}

Result<ScryptParams> ParamsOf(std::string_view encoded) {
  KILN_ASSIGN_OR_RETURN(Decoded d, Decode(encoded));
  return d.params;
}

}  // namespace kiln::auth
