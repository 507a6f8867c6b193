// Incremental SHA-256, for hashing files and streams without holding them in memory.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::artifacts {

// Feeds bytes in pieces and yields the lowercase hex digest. Not thread-safe; movable.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  void Update(std::string_view bytes);
  // The digest of everything fed so far; the hasher must not be used afterwards.
  std::string HexDigest();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Lowercase hex SHA-256 of a file's contents, read in chunks. Errors: kNotFound (missing or
// not a regular file), kInternal on I/O.
Result<std::string> Sha256OfFile(const std::string& path);

}  // namespace kiln::artifacts
