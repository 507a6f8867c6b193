// StaticFiles: maps request paths to regular files under one folder (a built web app),
// refusing anything that would leave it. Knows nothing of which paths are API routes.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::http {

// The Content-Type for a file name, by extension (html, js, mjs, css, svg, png, ico,
// json, woff2, map, txt, ...); "application/octet-stream" when unknown.
std::string ContentTypeFor(std::string_view file_name);

// True when a decoded request path may be mapped onto a folder: it starts with '/', and
// no segment is "." or ".." (also after further percent-decoding) and none holds a '\'.
bool IsSafeRequestPath(std::string_view path);

struct StaticFile {
  std::string path;          // absolute path of a regular file inside the folder
  std::string content_type;  // from ContentTypeFor
};

// A folder whose files are served as they are on disk at the time of each request (so a
// rebuilt UI shows without a restart). Immutable after construction; thread-safe.
class StaticFiles {
 public:
  // `root` need not exist yet; it is resolved (symlinks included) once, here.
  explicit StaticFiles(const std::string& root);

  // The resolved folder.
  const std::string& root() const { return root_; }
  // The file for a decoded request path ("/" and "" give nothing: no directory listing).
  // Errors: kInvalidArgument for an unsafe path (see IsSafeRequestPath); kNotFound when no
  // regular file is there or its real location (after symlinks) is outside the folder.
  Result<StaticFile> Resolve(std::string_view request_path) const;

 private:
  std::string root_;
};

}  // namespace kiln::http
