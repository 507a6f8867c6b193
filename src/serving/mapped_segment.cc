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

// Room prepared at a time ahead of the copies.
constexpr uint64_t kPrepareChunk = uint64_t{1} << 20;

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
      capacity_(other.capacity_),
      prepared_(other.prepared_) {
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
    prepared_ = other.prepared_;
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
    // Best effort: a failed cut leaves blank lines after the records; the next open cuts them.
    (void)::ftruncate(fd_, static_cast<off_t>(size_));
    ::close(fd_);
  }
  fd_ = -1;
}

Status MappedSegment::Map(uint64_t capacity) {
  capacity = std::max<uint64_t>(capacity, 1);
  // Reserve the blocks without lengthening the file: readers see only prepared room.
  if (::fallocate(fd_, FALLOC_FL_KEEP_SIZE, 0, static_cast<off_t>(capacity)) != 0) {
    const int error = errno;
    if (error != EOPNOTSUPP) {
      return ErrnoStatus("cannot reserve " + std::to_string(capacity) + " bytes for", path_, error);
    }
    // A file system without it: the blocks are then allocated as the room is prepared.
  }
  void* base = ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (base == MAP_FAILED) return ErrnoStatus("cannot map", path_, errno);
  base_ = static_cast<char*>(base);
  capacity_ = capacity;
  prepared_ = size_;
  return Status::Ok();
}

Status MappedSegment::Grow(uint64_t capacity) {
  if (capacity <= capacity_) return Status::Ok();
  if (base_ != nullptr) ::munmap(base_, capacity_);
  base_ = nullptr;
  capacity_ = 0;
  return Map(capacity);
}

Status MappedSegment::Prepare(uint64_t end) {
  const uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  const uint64_t wanted = std::max(end, prepared_ + kPrepareChunk);
  const uint64_t target = std::min(capacity_, (wanted + page - 1) / page * page);
  // Lengthen the file first: touching a mapped page past its end would be a fault.
  if (::ftruncate(fd_, static_cast<off_t>(target)) != 0) {
    return ErrnoStatus("cannot lengthen", path_, errno);
  }
  // Best effort (kernels before 5.14 lack it): a page not populated faults in on its copy.
  const uint64_t first_page = prepared_ / page * page;
  (void)::madvise(base_ + first_page, target - first_page, MADV_POPULATE_WRITE);
  // The room reads as blank lines, not zeros, so the file stays JSON lines while it fills.
  std::memset(base_ + prepared_, '\n', target - prepared_);
  prepared_ = target;
  return Status::Ok();
}

Status MappedSegment::Append(std::string_view record) {
  if (size_ + record.size() > prepared_) KILN_RETURN_IF_ERROR(Prepare(size_ + record.size()));
  std::memcpy(base_ + size_, record.data(), record.size());
  size_ += record.size();
  return Status::Ok();
}

}  // namespace kiln::serving
