#include "artifacts/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <string>
#include <system_error>
#include <utility>

namespace kiln::artifacts {
namespace {

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

std::string ParentOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Closes `fd` on scope exit unless released; keeps error paths from leaking descriptors.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Status WriteAll(int fd, const std::string& bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus("cannot write", path, errno);
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Creates a fresh file in `dir`; the pid and a counter keep names unique across threads and
// processes sharing the root, and O_EXCL skips leftovers of a crashed process with our pid.
Result<int> CreateTempFile(const std::string& dir, std::string& path) {
  static std::atomic<uint64_t> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    path = dir + "/put-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST) return ErrnoStatus("cannot create temporary file", path, errno);
  }
  return Internal("cannot create a unique temporary file in '" + dir + "'");
}

Status FillSyncClose(int fd, const std::string& path, const FileFiller& fill, bool fsync) {
  FdCloser closer(fd);
  KILN_RETURN_IF_ERROR(fill(fd, path));
  if (fsync && ::fsync(fd) != 0) return ErrnoStatus("cannot fsync", path, errno);
  if (::close(closer.Release()) != 0) return ErrnoStatus("cannot close", path, errno);
  return Status::Ok();
}

// Appends the contents of `src` to `fd`.
Status CopyInto(int fd, const std::string& src, const std::string& dest_path) {
  int in = ::open(src.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0 && (errno == ENOENT || errno == ENOTDIR)) return NotFound("no file '" + src + "'");
  if (in < 0) return ErrnoStatus("cannot open", src, errno);
  FdCloser closer(in);
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(in, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus("cannot read", src, errno);
    if (n == 0) return Status::Ok();
    KILN_RETURN_IF_ERROR(WriteAll(fd, std::string(buf, static_cast<size_t>(n)), dest_path));
  }
}

Status RenameStatus(const std::string& tmp, const std::string& dest, int err) {
  if (err == EISDIR || err == ENOTEMPTY || err == EEXIST) {
    return FailedPrecondition("'" + dest + "' is a directory");
  }
  if (err == ENOENT || err == ENOTDIR) {
    return NotFound("parent directory of '" + dest + "' disappeared");
  }
  return ErrnoStatus("cannot rename '" + tmp + "' to", dest, err);
}

}  // namespace

Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  return Internal(what + " '" + path + "': " + ErrnoText(err));
}

Result<std::string> ReadWholeFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) return NotFound("no file '" + path + "'");
  if (fd < 0) return ErrnoStatus("cannot open", path, errno);
  FdCloser closer(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoStatus("cannot stat", path, errno);
  if (!S_ISREG(st.st_mode)) return NotFound("'" + path + "' is not a regular file");
  std::string bytes;
  bytes.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus("cannot read", path, errno);
    if (n == 0) return bytes;
    bytes.append(buf, static_cast<size_t>(n));
  }
}

Result<bool> MakeDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), 0777) == 0) return true;
  if (errno == ENOTDIR) return FailedPrecondition("a parent of '" + path + "' is not a directory");
  if (errno != EEXIST) return ErrnoStatus("cannot create directory", path, errno);
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return false;
  return FailedPrecondition("'" + path + "' exists and is not a directory");
}

Status SyncDirectory(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open directory", path, errno);
  FdCloser closer(fd);
  if (::fsync(fd) != 0) return ErrnoStatus("cannot fsync directory", path, errno);
  return Status::Ok();
}

Status WriteFileDurably(const std::string& tmp_dir, const std::string& dest,
                        const std::string& bytes, bool fsync) {
  return FillFileDurably(
      tmp_dir, dest,
      [&bytes](int fd, const std::string& tmp_path) { return WriteAll(fd, bytes, tmp_path); },
      fsync);
}

Status CopyFileDurably(const std::string& tmp_dir, const std::string& src, const std::string& dest,
                       bool fsync) {
  return FillFileDurably(
      tmp_dir, dest,
      [&src](int fd, const std::string& tmp_path) { return CopyInto(fd, src, tmp_path); }, fsync);
}

Status MoveFileDurably(const std::string& src, const std::string& dest) {
  int fd = ::open(src.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) return NotFound("no file '" + src + "'");
  if (fd < 0) return ErrnoStatus("cannot open", src, errno);
  FdCloser closer(fd);
  if (::fsync(fd) != 0) return ErrnoStatus("cannot fsync", src, errno);
  if (::rename(src.c_str(), dest.c_str()) != 0) return RenameStatus(src, dest, errno);
  return SyncDirectory(ParentOf(dest));
}

Status FillFileDurably(const std::string& tmp_dir, const std::string& dest, const FileFiller& fill,
                       bool fsync) {
  std::string tmp;
  KILN_ASSIGN_OR_RETURN(int fd, CreateTempFile(tmp_dir, tmp));
  Status status = FillSyncClose(fd, tmp, fill, fsync);
  if (status.ok() && ::rename(tmp.c_str(), dest.c_str()) != 0) {
    status = RenameStatus(tmp, dest, errno);
  }
  if (!status.ok()) {
    ::unlink(tmp.c_str());
    return status;
  }
  return fsync ? SyncDirectory(ParentOf(dest)) : Status::Ok();
}

}  // namespace kiln::artifacts
