#include "ml/file_io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace kiln::ml {
namespace {

Status ErrnoError(const char* what, const std::string& path, int err) {
  std::string message = std::string(what) + " '" + path + "': " + std::strerror(err);
  if (err == ENOENT) return NotFound(std::move(message));
  return Internal(std::move(message));
}

// Writes all of `bytes`, retrying short writes and EINTR.
// Files at least this large are mapped instead of copied.
constexpr size_t kMapThreshold = 1 << 20;

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

FileBytes::FileBytes(FileBytes&& other) noexcept { *this = std::move(other); }

FileBytes& FileBytes::operator=(FileBytes&& other) noexcept {
  if (this == &other) return *this;
  Release();
  heap_ = std::move(other.heap_);
  data_ = std::exchange(other.data_, "");
  size_ = std::exchange(other.size_, 0);
  mapped_ = std::exchange(other.mapped_, false);
  return *this;
}

FileBytes::~FileBytes() { Release(); }

void FileBytes::Release() {
  if (mapped_) ::munmap(const_cast<char*>(data_), size_);
  heap_.reset();
  data_ = "";
  size_ = 0;
  mapped_ = false;
}

Result<FileBytes> ReadFileBytes(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return NotFound("not a regular file: '" + path + "'");
  }
  FileBytes out;
  size_t size = static_cast<size_t>(st.st_size);
  if (size >= kMapThreshold) {
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (map != MAP_FAILED) {
      ::close(fd);
      out.data_ = static_cast<const char*>(map);
      out.size_ = size;
      out.mapped_ = true;
      return out;
    }
  }
  out.heap_ = std::make_unique_for_overwrite<char[]>(size + 1);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, out.heap_.get() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return ErrnoError("cannot read", path, err);
    }
    if (n == 0) break;  // the file shrank while being read
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  out.data_ = out.heap_.get();
  out.size_ = done;
  return out;
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  static std::atomic<uint64_t> counter{0};
  std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(++counter);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Internal("cannot create '" + tmp + "': " + std::strerror(errno));
  bool ok = WriteAll(fd, bytes);
  int err = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    if (ok) err = errno;
    ::unlink(tmp.c_str());
    return Internal("cannot write '" + path + "': " + std::strerror(err));
  }
  return Status::Ok();
}

}  // namespace kiln::ml
