// Whole-file reads and atomic whole-file writes for the ml module.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::ml {

// The bytes of a file, owned; not zero-filled before the read, so large reads stay cheap.
struct FileBytes {
  std::unique_ptr<char[]> data;
  size_t size = 0;
  std::string_view view() const { return {data.get(), size}; }
};

// Reads the whole regular file at `path`. Errors: kNotFound (missing or not a regular file),
// kInternal (other I/O failures), both naming the path. Thread-safe.
Result<FileBytes> ReadFileBytes(const std::string& path);

// Writes `bytes` to `path` through a temporary file in the same directory renamed over it, so
// readers never see a partial file (not fsynced). Errors: kInternal naming the path.
// Thread-safe for distinct paths.
Status WriteFileAtomically(const std::string& path, std::string_view bytes);

}  // namespace kiln::ml
