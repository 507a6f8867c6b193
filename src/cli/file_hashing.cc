#include "cli/file_hashing.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "artifacts/sha256.h"

namespace kiln::cli {
namespace fs = std::filesystem;
namespace {

constexpr int64_t kProgressAbove = 64LL << 20;
constexpr size_t kChunk = 1 << 20;

// Shows "hashing 1.2 GiB of 3.4 GiB" at most ten times a second.
class Progress {
 public:
  Progress(std::FILE* out, int64_t total)
      : out_(total > kProgressAbove ? out : nullptr), total_(total) {}
  void Add(int64_t bytes) {
    done_ += bytes;
    if (out_ == nullptr) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100) && done_ < total_) return;
    last_ = now;
    std::fprintf(out_, "\rhashing %s of %s ", FormatBytes(done_).c_str(),
                 FormatBytes(total_).c_str());
    if (done_ >= total_) std::fputc('\n', out_);
    std::fflush(out_);
  }

 private:
  std::FILE* out_;
  const int64_t total_;
  int64_t done_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

Result<std::string> HashFile(const std::string& path, Progress& progress) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal("cannot read '" + path + "'");
  artifacts::Sha256 hasher;
  std::string buffer(kChunk, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize got = in.gcount();
    if (got <= 0) break;
    hasher.Update(std::string_view(buffer.data(), static_cast<size_t>(got)));
    progress.Add(got);
  }
  if (in.bad()) return Internal("error reading '" + path + "'");
  return hasher.HexDigest();
}

Result<std::vector<HashedFile>> ListFolder(const fs::path& root) {
  std::vector<HashedFile> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::file_status status = it->symlink_status(ec);
    if (fs::is_directory(status)) continue;
    if (!fs::is_regular_file(status)) {
      return InvalidArgument("'" + it->path().string() +
                             "' is not a regular file (symlinks and special files are not added)");
    }
    HashedFile file;
    file.path = fs::relative(it->path(), root).generic_string();
    file.abs_path = it->path().string();
    file.size = static_cast<int64_t>(it->file_size(ec));
    file.executable = (status.permissions() & fs::perms::owner_exec) != fs::perms::none;
    files.push_back(std::move(file));
  }
  if (ec) return Internal("cannot list '" + root.string() + "': " + ec.message());
  if (files.empty()) return InvalidArgument("folder '" + root.string() + "' has no files");
  std::sort(files.begin(), files.end(),
            [](const HashedFile& a, const HashedFile& b) { return a.path < b.path; });
  return files;
}

}  // namespace

Result<HashedInput> HashInput(const std::string& path, std::FILE* progress_out) {
  std::error_code ec;
  const fs::path input = fs::absolute(path, ec);
  HashedInput out;
  if (fs::is_directory(input, ec)) {
    out.is_folder = true;
    KILN_ASSIGN_OR_RETURN(out.files, ListFolder(input));
  } else if (fs::is_regular_file(input, ec)) {
    out.files.push_back({input.filename().string(), input.string(), "",
                         static_cast<int64_t>(fs::file_size(input, ec)), false});
  } else {
    return NotFound("no file or folder '" + path + "'");
  }
  for (const HashedFile& f : out.files) out.total_bytes += f.size;
  Progress progress(progress_out, out.total_bytes);
  const auto start = std::chrono::steady_clock::now();
  for (HashedFile& f : out.files) {
    KILN_ASSIGN_OR_RETURN(f.digest, HashFile(f.abs_path, progress));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

std::string FormatBytes(int64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), unit == 0 ? "%.0f %s" : "%.1f %s", value, kUnits[unit]);
  return text;
}

}  // namespace kiln::cli
