#include "serving/log_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

namespace kiln::serving {
namespace {

Status ErrnoStatus(const std::string& what, const std::string& path) {
  return Internal(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Result<AppendOnlyFile> AppendOnlyFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status s = ErrnoStatus("cannot stat", path);
    ::close(fd);
    return s;
  }
  return AppendOnlyFile(fd, path, static_cast<uint64_t>(st.st_size));
}

AppendOnlyFile::AppendOnlyFile(int fd, std::string path, uint64_t size)
    : fd_(fd), path_(std::move(path)), size_(size) {}

AppendOnlyFile::AppendOnlyFile(AppendOnlyFile&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)), size_(other.size_) {
  other.fd_ = -1;
}

AppendOnlyFile& AppendOnlyFile::operator=(AppendOnlyFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    size_ = other.size_;
    other.fd_ = -1;
  }
  return *this;
}

AppendOnlyFile::~AppendOnlyFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status AppendOnlyFile::Append(std::string_view record) {
  size_t done = 0;
  while (done < record.size()) {
    ssize_t n = ::write(fd_, record.data() + done, record.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = ErrnoStatus("cannot append to", path_);
      // Drop the fragment, or the next record would be glued to it. Best effort.
      if (done > 0 && ::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
        return Internal(s.message() + " (and cannot cut back a partial record)");
      }
      return s;
    }
    done += static_cast<size_t>(n);
  }
  size_ += record.size();
  return Status::Ok();
}

Result<FileLock> FileLock::Acquire(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot open", path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    Status s = errno == EWOULDBLOCK
                   ? FailedPrecondition(path + " is locked: the request log is already open")
                   : ErrnoStatus("cannot lock", path);
    ::close(fd);
    return s;
  }
  return FileLock(fd);
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::string> ReadFileRange(const std::string& path, uint64_t offset, uint64_t length) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", path);
  std::string out(length, '\0');
  uint64_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = n < 0 ? ErrnoStatus("cannot read", path) : Internal("short read of " + path);
      ::close(fd);
      return s;
    }
    done += static_cast<uint64_t>(n);
  }
  ::close(fd);
  return out;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("cannot stat", path);
  return ReadFileRange(path, 0, static_cast<uint64_t>(st.st_size));
}

Result<uint64_t> DropTornTail(const std::string& path, std::string& contents,
                              const std::function<bool(std::string_view)>& is_whole) {
  const std::string_view all(contents);
  size_t end = all.find_last_not_of(std::string_view("\n\0", 2)) + 1;  // 0 if all padding
  while (end > 0) {
    const size_t newline = all.rfind('\n', end - 1);
    const size_t start = newline == std::string_view::npos ? 0 : newline + 1;
    const bool terminated = end < all.size() && all[end] == '\n';
    if (terminated && is_whole(all.substr(start, end - start))) break;
    end = start == 0 ? 0 : all.find_last_not_of(std::string_view("\n\0", 2), start - 1) + 1;
  }
  const size_t keep = end == 0 ? 0 : end + 1;  // with the '\n' that ends the last whole line
  if (keep >= contents.size()) return uint64_t{0};
  if (::truncate(path.c_str(), static_cast<off_t>(keep)) != 0) {
    return ErrnoStatus("cannot cut the torn tail of", path);
  }
  const uint64_t dropped = contents.size() - keep;
  contents.resize(keep);
  return dropped;
}

}  // namespace kiln::serving
