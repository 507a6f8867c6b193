// The one check for the file paths of a folder that arrives from outside (a tree manifest, a
// folder of uploaded blobs, a published module's files, stored rows about to be written out):
// every path is a safe relative file path, no path appears twice or is both a file and the
// folder of another, and the listing stays within limits. Run it before anything is written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kiln::artifacts {

// Bounds on one folder listing; the defaults suit datasets and model packages.
struct FileListLimits {
  size_t max_files = 1'000'000;
  size_t max_depth = 64;                       // '/'-separated segments in one path
  size_t max_path_bytes = 4096;                // PATH_MAX
  size_t max_segment_bytes = 255;              // NAME_MAX
  int64_t max_total_bytes = int64_t{1} << 40;  // 1 TiB: a sanity bound, not a quota
};

// One file of a listing: its path and its size in bytes.
struct FileListItem {
  std::string_view path;
  int64_t size = 0;
};

// Checks one file path: ValidateRelativePath (relative; no "", "." or ".." segment; no
// backslash, NUL or control character), not empty, no trailing '/', within the depth and length
// limits. Errors: kInvalidArgument naming the path (quoted with control bytes escaped).
Status ValidateFilePath(std::string_view path, const FileListLimits& limits = {});

// Checks a whole listing: every path with ValidateFilePath, no size negative, no path twice, no
// path that is a file and a folder at once ("a" and "a/b"), at most max_files files and
// max_total_bytes in all. `field` names the list in messages, with "[]" replaced by the index
// of the offending item (e.g. "files[].path" gives "files[3].path: ..."). Pure function.
// Errors: kInvalidArgument.
Status ValidateFileList(const std::vector<FileListItem>& files, std::string_view field,
                        const FileListLimits& limits = {});

}  // namespace kiln::artifacts
