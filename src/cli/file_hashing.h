// Hashing the files a user adds (a file, or every file under a folder) before anything is
// uploaded, with progress on a terminal for large inputs.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "common/status.h"

namespace kiln::cli {

struct HashedFile {
  std::string path;      // relative to the folder ('/'-separated); the file name for one file
  std::string abs_path;  // where to read it
  std::string digest;    // SHA-256, lowercase hex
  int64_t size = 0;
  bool executable = false;
};

struct HashedInput {
  bool is_folder = false;
  std::vector<HashedFile> files;  // sorted by path
  int64_t total_bytes = 0;
  double seconds = 0;  // time spent hashing
};

// Hashes `path` (a regular file or a folder, whose regular files are taken recursively).
// Progress goes to `progress` (a live line; pass nullptr for none) once the input exceeds
// 64 MiB. Errors: kNotFound for a missing path, kInvalidArgument for a symlink or special file
// inside a folder or an empty folder (named), kInternal on I/O.
Result<HashedInput> HashInput(const std::string& path, std::FILE* progress);

// "512 B", "4.5 KiB", "1.2 GiB".
std::string FormatBytes(int64_t bytes);

}  // namespace kiln::cli
