// Whole-file reads and atomic whole-file writes for the ml module.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::ml {

// The bytes of a file, owned: a heap copy for small files, a read-only private mapping for
// large ones (no copy, no zero-fill). Move-only. A mapped file that another process truncates
// while it is in use can fault (SIGBUS); Kiln writes such files by rename, never in place.
class FileBytes {
 public:
  FileBytes() = default;
  FileBytes(FileBytes&& other) noexcept;
  FileBytes& operator=(FileBytes&& other) noexcept;
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  ~FileBytes();

  std::string_view view() const { return {data_, size_}; }
  size_t size() const { return size_; }

 private:
  friend Result<FileBytes> ReadFileBytes(const std::string& path);
  void Release();

  std::unique_ptr<char[]> heap_;
  const char* data_ = "";
  size_t size_ = 0;
  bool mapped_ = false;
};

// Reads (or maps) the whole regular file at `path`. Errors: kNotFound (missing or not a
// regular file), kInternal (other I/O failures), both naming the path. Thread-safe.
Result<FileBytes> ReadFileBytes(const std::string& path);

// Writes `bytes` to `path` through a temporary file in the same directory renamed over it, so
// readers never see a partial file (not fsynced). Errors: kInternal naming the path.
// Thread-safe for distinct paths.
Status WriteFileAtomically(const std::string& path, std::string_view bytes);

}  // namespace kiln::ml
