// Internal POSIX file helpers for the local artifact store. They take absolute paths and
// report failures as Status with the path and strerror text; nothing throws.
#pragma once

#include <functional>
#include <string>

#include "common/status.h"

namespace kiln::artifacts {

// kInternal "<what> '<path>': <strerror(err)>".
Status ErrnoStatus(const std::string& what, const std::string& path, int err);

// Whole contents of a regular file (symlinks followed). Errors: kNotFound (missing, a
// directory, or a parent is not a directory), kInternal.
Result<std::string> ReadWholeFile(const std::string& path);

// Creates directory `path` if missing. Returns true if it was created, false if a directory
// (or a symlink to one) was already there. Errors: kFailedPrecondition (something else is
// there, or a dangling symlink), kInternal.
Result<bool> MakeDirectory(const std::string& path);

// fsync of a directory, so that entries created or renamed in it survive a crash.
Status SyncDirectory(const std::string& path);

// Writes `bytes` to a new file in `tmp_dir`, fsyncs it, renames it over `dest` and fsyncs
// dest's directory: readers see the old file or the new one, and once this returns OK the
// file survives a crash. `tmp_dir` must be on dest's filesystem. Thread-safe.
// Errors: kFailedPrecondition (dest is a directory), kNotFound (dest's parent vanished),
// kInternal.
// With `fsync` false the file and directory are not fsynced: the write is atomic and survives
// the process being killed, but not a power loss.
Status WriteFileDurably(const std::string& tmp_dir, const std::string& dest,
                        const std::string& bytes, bool fsync = true);

// Like WriteFileDurably, with the contents copied from file `src` (streamed, any size).
// Errors: kNotFound when `src` is missing, others as WriteFileDurably.
Status CopyFileDurably(const std::string& tmp_dir, const std::string& src, const std::string& dest,
                       bool fsync = true);

// fsyncs file `src`, renames it over `dest` and fsyncs dest's directory: the move is atomic
// and survives a crash once this returns OK. Both must be on one filesystem.
// Errors: kNotFound (src missing, or dest's parent vanished), kFailedPrecondition (dest is a
// directory), kInternal.
Status MoveFileDurably(const std::string& src, const std::string& dest);

// Writes the bytes of a new file to descriptor `fd` (at temporary path `tmp_path`).
using FileFiller = std::function<Status(int fd, const std::string& tmp_path)>;

// The durable write both of the above use: a temporary file filled by `fill`, fsynced, renamed
// over `dest`, dest's directory fsynced. Errors: whatever `fill` returns, others as above.
Status FillFileDurably(const std::string& tmp_dir, const std::string& dest, const FileFiller& fill,
                       bool fsync = true);

}  // namespace kiln::artifacts
