#include "artifacts/tree_folder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>

#include "artifacts/path_safety.h"

namespace kiln::artifacts {
namespace {

// Owns one descriptor.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

Status IoError(const std::string& what, std::string_view relative, int err) {
  return Internal(what + " " + QuotePath(relative) + " in the new folder: " + ErrnoText(err));
}

// Opens (creating it if needed) sub-folder `name` of `parent`, never following a symlink.
Result<Fd> OpenSubFolder(int parent, const std::string& name, std::string_view relative) {
  if (::mkdirat(parent, name.c_str(), 0755) != 0 && errno != EEXIST) {
    return IoError("cannot create folder", relative, errno);
  }
  Fd fd(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.ok()) return IoError("cannot open folder", relative, errno);
  return fd;
}

Status CopyAll(int in, int out, std::string_view relative) {
  char buf[1 << 16];
  while (true) {
    const ssize_t n = ::read(in, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("cannot read the blob of", relative, errno);
    if (n == 0) return Status::Ok();
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = ::write(out, buf + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return IoError("cannot write", relative, errno);
      done += w;
    }
  }
}

// Opens the blob of `e`, checking that its size is the one the entry declares.
Result<Fd> OpenBlob(const ArtifactStore& store, const TreeEntry& e) {
  Result<std::string> blob = store.LocateBlob(e.digest);
  if (!blob.ok() && blob.status().code() == StatusCode::kNotFound) {
    return NotFound("file " + QuotePath(e.path) + ": blob " + e.digest + " is not stored");
  }
  KILN_RETURN_IF_ERROR(blob.status());
  Fd in(::open(blob->c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.ok()) return IoError("cannot open the blob of", e.path, errno);
  struct stat st;
  if (::fstat(in.get(), &st) != 0) return IoError("cannot stat the blob of", e.path, errno);
  if (st.st_size != e.size) {
    return InvalidArgument("file " + QuotePath(e.path) + ": size " + std::to_string(e.size) +
                           " does not match its blob's (" + std::to_string(st.st_size) + ")");
  }
  return in;
}

Status WriteEntry(const ArtifactStore& store, int root, const TreeEntry& e,
                  const TreeFolderModes& modes) {
  Fd parent;
  size_t start = 0;
  for (size_t slash = e.path.find('/'); slash != std::string::npos;
       slash = e.path.find('/', start)) {
    KILN_ASSIGN_OR_RETURN(parent, OpenSubFolder(parent.ok() ? parent.get() : root,
                                                e.path.substr(start, slash - start),
                                                std::string_view(e.path).substr(0, slash)));
    start = slash + 1;
  }
  KILN_ASSIGN_OR_RETURN(Fd in, OpenBlob(store, e));
  const std::string name = e.path.substr(start);
  Fd out(::openat(parent.ok() ? parent.get() : root, name.c_str(),
                  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out.ok()) return IoError("cannot create", e.path, errno);
  KILN_RETURN_IF_ERROR(CopyAll(in.get(), out.get(), e.path));
  if (::fchmod(out.get(), e.executable ? modes.executable : modes.file) != 0) {
    return IoError("cannot set the mode of", e.path, errno);
  }
  if (modes.fsync && ::fsync(out.get()) != 0) return IoError("cannot fsync", e.path, errno);
  return Status::Ok();
}

Status WriteAll(const ArtifactStore& store, const std::vector<TreeEntry>& entries,
                const std::string& dir, const TreeFolderModes& modes) {
  Fd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!root.ok()) return IoError("cannot open", ".", errno);
  for (const TreeEntry& e : entries) {
    KILN_RETURN_IF_ERROR(WriteEntry(store, root.get(), e, modes));
  }
  return Status::Ok();
}

}  // namespace

Status WriteTreeFolder(const ArtifactStore& store, const std::vector<TreeEntry>& entries,
                       const std::string& dir, const TreeFolderModes& modes) {
  KILN_RETURN_IF_ERROR(ValidateTreeEntries(entries, "files[]"));
  if (::mkdir(dir.c_str(), 0755) != 0) {
    if (errno == EEXIST) return AlreadyExists("the new folder exists already");
    return IoError("cannot create", ".", errno);
  }
  Status written = WriteAll(store, entries, dir, modes);
  if (!written.ok()) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);  // removes links themselves, never their targets
  }
  return written;
}

}  // namespace kiln::artifacts
