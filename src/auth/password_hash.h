// Password hashing with scrypt (OpenSSL's EVP_PBE_scrypt), encoded so the algorithm and its
// parameters travel with each hash and can rise later without breaking older hashes:
//   scrypt$ln=17,r=8,p=1$<salt, base64url>$<32-byte hash, base64url>
// The default parameters are OWASP's password storage cheat sheet minimum for scrypt (N = 2^17,
// r = 8, p = 1: 128 MiB and about a third of a second of one core per hash), with a 16-byte
// random salt.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::auth {

struct ScryptParams {
  int log2_n = 17;  // N = 2^log2_n, the CPU/memory cost
  int r = 8;        // block size (128 * r bytes per block)
  int p = 1;        // parallelization
};

// Where a password comes from, which decides how slow its hash must be.
enum class PasswordOrigin {
  kChosen,     // a person chose it: it may be guessable, so it gets the slow default parameters
  kGenerated,  // MakePassword made it (144 random bits): no guessing attack is feasible, so
               // stretching adds nothing and kGeneratedPasswordParams (cheap) suffice
};

// The parameters for a generated password: N = 2^12 (4 MiB, a few milliseconds). They keep
// the format and salt; a server starting on an empty store (EnsureInitialAdmin) stays quick.
inline constexpr ScryptParams kGeneratedPasswordParams{12, 8, 1};

// Shortest and longest password accepted from a person, in bytes.
inline constexpr size_t kMinPasswordLength = 8;
inline constexpr size_t kMaxPasswordLength = 1024;

// The encoded hash of `password` under a new random salt. Errors: kInvalidArgument for
// parameters out of range (log2_n 10..22, r 1..32, p 1..16), kInternal when OpenSSL fails.
// Thread-safe; slow by design (uses 128 * r * N bytes of memory while it runs).
Result<std::string> HashPassword(std::string_view password, const ScryptParams& params = {});

// Whether `password` matches `encoded` (compared in constant time). Errors: kInternal when
// `encoded` is not a hash HashPassword made (the store holds something else). Thread-safe; as
// slow as the hash's parameters.
Result<bool> VerifyPassword(std::string_view password, std::string_view encoded);

// The parameters `encoded` was made with. Errors: as VerifyPassword. Pure function.
Result<ScryptParams> ParamsOf(std::string_view encoded);

}  // namespace kiln::auth
