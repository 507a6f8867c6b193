#include "serving/mapped_segment.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace kiln::serving {
namespace {

Status ErrnoStatus(const std::string& what, const std::string& path, int error) {
  return Internal(what + " " + path + ": " + std::strerror(error));
}

}  // namespace

Result<MappedSegment> MappedSegment::Open(const std::string& path, uint64_t capacity) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status s = ErrnoStatus("cannot stat", path, errno);
    ::close(fd);
    return s;
  }
  MappedSegment segment(fd, path, static_cast<uint64_t>(st.st_size));
  KILN_RETURN_IF_ERROR(segment.Map(std::max(capacity, segment.size_)));
  return segment;
}

MappedSegment::MappedSegment(int fd, std::string path, uint64_t size)
    : fd_(fd), path_(std::move(path)), size_(size) {}

MappedSegment::MappedSegment(MappedSegment&& other) noexcept
    : fd_(other.fd_),
      path_(std::move(other.path_)),
      base_(other.base_),
      size_(other.size_),
      capacity_(other.capacity_) {
  other.fd_ = -1;
  other.base_ = nullptr;
}

MappedSegment& MappedSegment::operator=(MappedSegment&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    base_ = other.base_;
    size_ = other.size_;
    capacity_ = other.capacity_;
    other.fd_ = -1;
    other.base_ = nullptr;
  }
  return *this;
}

MappedSegment::~MappedSegment() { Close(); }

void MappedSegment::Close() {
  if (base_ != nullptr) ::munmap(base_, capacity_);
  base_ = nullptr;
  if (fd_ >= 0) {
    // Best effort: a failed cut leaves zeros after the records, which the next open removes.
    (void)::ftruncate(fd_, static_cast<off_t>(size_));
    ::close(fd_);
  }
  fd_ = -1;
}

Status MappedSegment::Map(uint64_t capacity) {
  capacity = std::max<uint64_t>(capacity, 1);
  if (int error = ::posix_fallocate(fd_, 0, static_cast<off_t>(capacity)); error != 0) {
    (void)::ftruncate(fd_, static_cast<off_t>(size_));
    return ErrnoStatus("cannot reserve " + std::to_string(capacity) + " bytes for", path_, error);
  }
  void* base = ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (base == MAP_FAILED) return ErrnoStatus("cannot map", path_, errno);
  base_ = static_cast<char*>(base);
  capacity_ = capacity;
  return Status::Ok();
}

Status MappedSegment::Grow(uint64_t capacity) {
  if (capacity <= capacity_) return Status::Ok();
  if (base_ != nullptr) ::munmap(base_, capacity_);
  base_ = nullptr;
  capacity_ = 0;
  return Map(capacity);
}

void MappedSegment::Append(std::string_view record) {
  std::memcpy(base_ + size_, record.data(), record.size());
  size_ += record.size();
}

}  // namespace kiln::serving
