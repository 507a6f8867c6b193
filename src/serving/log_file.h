// Append-only files for the request log: whole-record appends that never leave a torn record
// in the middle of a file, and recovery of a torn tail left by a killed process.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::serving {

// An open file that only grows, by whole records. Owns its descriptor (closed on
// destruction). Not thread-safe: the caller serializes calls.
class AppendOnlyFile {
 public:
  // Opens `path` for appending, creating it. Errors: kInternal naming the path.
  static Result<AppendOnlyFile> Open(const std::string& path);

  AppendOnlyFile(AppendOnlyFile&& other) noexcept;
  AppendOnlyFile& operator=(AppendOnlyFile&& other) noexcept;
  AppendOnlyFile(const AppendOnlyFile&) = delete;
  AppendOnlyFile& operator=(const AppendOnlyFile&) = delete;
  ~AppendOnlyFile();

  // Writes all of `record` with write(2) (no fsync: it survives a process kill, not a power
  // loss). On failure (e.g. a full disk) cuts the file back to its old size so the next
  // record does not follow a fragment, and returns kInternal naming the path.
  Status Append(std::string_view record);

  // Bytes in the file, counting every successful Append.
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  AppendOnlyFile(int fd, std::string path, uint64_t size);
  int fd_ = -1;
  std::string path_;
  uint64_t size_ = 0;
};

// An exclusive advisory lock (flock) on a file, held while the object lives; the kernel drops
// it when the process dies, so a killed holder never blocks a restart. Not thread-safe.
class FileLock {
 public:
  // Locks `path` (creating it) without waiting. Errors: kFailedPrecondition naming the path if
  // another holder (this process or another) has it; kInternal for I/O.
  static Result<FileLock> Acquire(const std::string& path);
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Reads the whole file. Errors: kInternal naming the path.
Result<std::string> ReadWholeFile(const std::string& path);

// Reads `length` bytes at `offset`. Errors: kInternal naming the path (also for a short read).
Result<std::string> ReadFileRange(const std::string& path, uint64_t offset, uint64_t length);

// Cuts what a kill left after the last whole record of `contents` (the bytes of the file at
// `path`): the unused room of a mapped segment (zeros and blank lines) and every trailing line
// that `is_whole(line)` refuses (a record torn during its write or copy, possibly in pieces),
// keeping the '\n' after the last whole line. Shortens `contents` to match and returns how many
// bytes were dropped. Errors: kInternal naming the path.
Result<uint64_t> DropTornTail(const std::string& path, std::string& contents,
                              const std::function<bool(std::string_view)>& is_whole);

// Calls `fn(line, offset)` for each '\n'-terminated line of `contents` (without the '\n');
// an unterminated tail is ignored.
template <typename Fn>
void ForEachLine(std::string_view contents, Fn&& fn) {
  size_t start = 0;
  for (size_t end; (end = contents.find('\n', start)) != std::string_view::npos; start = end + 1) {
    fn(contents.substr(start, end - start), static_cast<uint64_t>(start));
  }
}

}  // namespace kiln::serving
