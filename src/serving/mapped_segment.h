// MappedSegment: the request log's active segment file, appended to through a shared memory
// mapping instead of a write(2) per record, so an answered prediction costs no system call
// for its log record.
//
// Durability is the same as write(2) without fsync: the bytes are in the kernel's page cache
// as soon as the copy returns, so they survive a kill of the process (not a power loss). The
// file's blocks are reserved for the whole capacity up front (without lengthening the file), so
// a full disk shows as an error when a segment starts, never as a fault on a later copy. The
// file is lengthened a chunk at a time ahead of the copies, the new room filled with '\n': while
// mapped, the records are followed by blank lines (still JSON lines); closing cuts the file back
// to size(). After a kill those blank lines remain, and DropTornTail removes them (with any
// record the kill tore) on the next open.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::serving {

// A file mapped for appending whole records. Owns the descriptor and the mapping. Not
// thread-safe: the caller serializes calls.
class MappedSegment {
 public:
  // Opens `path` (creating it), keeps its current bytes and maps room for `capacity` bytes in
  // all (at least the current size). Errors: kInternal naming the path (including no space for
  // the capacity: nothing is then mapped and the file keeps its size).
  static Result<MappedSegment> Open(const std::string& path, uint64_t capacity);

  MappedSegment(MappedSegment&& other) noexcept;
  MappedSegment& operator=(MappedSegment&& other) noexcept;
  MappedSegment(const MappedSegment&) = delete;
  MappedSegment& operator=(const MappedSegment&) = delete;
  // Unmaps and cuts the file back to size().
  ~MappedSegment();

  // Whether `bytes` more fit in the capacity.
  bool Fits(uint64_t bytes) const { return size_ + bytes <= capacity_; }
  // Copies `record` after the last one. Precondition: Fits(record.size()). Room is prepared a
  // chunk at a time ahead of the copies (its pages made writable in one call instead of a fault
  // per page). Errors: kInternal naming the path if the file cannot be lengthened.
  Status Append(std::string_view record);
  // Makes the capacity at least `capacity` (remapping). Errors: kInternal naming the path.
  Status Grow(uint64_t capacity);

  // Bytes appended (the file's logical length).
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  MappedSegment(int fd, std::string path, uint64_t size);
  Status Map(uint64_t capacity);
  void Close();
  Status Prepare(uint64_t end);

  int fd_ = -1;
  std::string path_;
  char* base_ = nullptr;
  uint64_t size_ = 0;
  uint64_t capacity_ = 0;
  uint64_t prepared_ = 0;  // the file's length: [size_, prepared_) holds '\n' bytes
};

}  // namespace kiln::serving
