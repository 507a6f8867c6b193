#include "http/static_files.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <system_error>
#include <utility>

#include "common/percent.h"

namespace kiln::http {
namespace {

namespace fs = std::filesystem;

struct TypeByExtension {
  std::string_view extension;
  std::string_view content_type;
};

constexpr std::array<TypeByExtension, 16> kTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".json", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".map", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
    {".wasm", "application/wasm"},
    {".webp", "image/webp"},
}};

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The real location of `path`, or "" when it does not exist.
std::string RealPath(const fs::path& path) {
  std::error_code ec;
  fs::path real = fs::canonical(path, ec);
  return ec ? std::string() : real.string();
}

bool IsInside(const std::string& path, const std::string& root) {
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
         path[root.size()] == '/';
}

}  // namespace

std::string ContentTypeFor(std::string_view file_name) {
  const size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const std::string extension = Lower(file_name.substr(dot));
  for (const TypeByExtension& type : kTypes) {
    if (type.extension == extension) return std::string(type.content_type);
  }
  return "application/octet-stream";
}

bool IsSafeRequestPath(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  // Decoding again catches "%2e%2e" sent as "%252e%252e" by a client that re-encodes.
  const std::string decoded = PercentDecodeFully(std::string(path));
  if (decoded.find('\\') != std::string::npos || decoded.find('\0') != std::string::npos) {
    return false;
  }
  size_t start = 1;
  while (start <= decoded.size()) {
    size_t end = decoded.find('/', start);
    if (end == std::string::npos) end = decoded.size();
    std::string_view segment = std::string_view(decoded).substr(start, end - start);
    if (segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

StaticFiles::StaticFiles(const std::string& root) {
  root_ = RealPath(root);
  // A missing folder still gets a root that matches no file.
  if (root_.empty()) root_ = fs::path(root).lexically_normal().string();
}

Result<StaticFile> StaticFiles::Resolve(std::string_view request_path) const {
  if (!IsSafeRequestPath(request_path)) {
    return InvalidArgument("path '" + std::string(request_path) + "' is not allowed");
  }
  std::string_view relative = request_path;
  // "//etc/passwd" must not become an absolute path when joined below.
  while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
  if (relative.empty() || relative.back() == '/') return NotFound("no file at this path");
  // Symlinks are followed, and where they lead must still be inside the folder.
  const std::string real = RealPath(fs::path(root_) / fs::path(relative));
  std::error_code ec;
  if (real.empty() || !IsInside(real, root_) || !fs::is_regular_file(real, ec)) {
    return NotFound("no file at this path");
  }
  StaticFile file;
  file.content_type = ContentTypeFor(relative);
  file.path = real;
  return file;
}

}  // namespace kiln::http
