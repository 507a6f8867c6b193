// ArtifactStore: where artifact bytes live (a local folder first; S3 later).
// Two areas under one root:
//  - a path tree of named files (MLflow's run artifacts: "<exp>/<run>/artifacts/model.pkl"),
//  - content-addressed blobs keyed by SHA-256 (datasets and pipeline outputs, later issues).
// Thread-safe: writes go to a temporary file and are renamed into place.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace kiln::artifacts {

struct FileEntry {
  std::string path;  // relative to the listed directory's root (MLflow style: full relative)
  bool is_dir = false;
  int64_t size = 0;  // bytes; 0 for directories
};

// How far a write has reached when it returns.
enum class Sync {
  kDurable,    // fsynced: survives a power loss (what clients upload through the APIs)
  kCrashSafe,  // atomic, not fsynced: survives the process being killed, not a power loss
               // (pipeline outputs and logs, which can be recomputed)
};

class ArtifactStore {
 public:
  virtual ~ArtifactStore() = default;
  // Writes `bytes` at relative `path`, replacing any file there and creating parents.
  // Errors: kInvalidArgument for an unsafe path (see ValidateRelativePath), for "" or a path
  // ending in '/', or when a directory is at `path` or a file at one of its parents;
  // kInternal on I/O.
  virtual Status Put(const std::string& path, const std::string& bytes,
                     Sync sync = Sync::kDurable) = 0;
  // Absolute filesystem path of an existing file, for streaming.
  // Errors: kInvalidArgument (unsafe path, "" or ending in '/'), kNotFound (no such file, or
  // a directory).
  virtual Result<std::string> Locate(const std::string& path) const = 0;
  // Reads a whole file. Errors as Locate.
  virtual Result<std::string> Get(const std::string& path) const = 0;
  // Direct children of directory `dir` ("" = the root), sorted by path. Entry paths are
  // relative to the root (e.g. "1/abc/artifacts/model/MLmodel"). A missing directory, or a
  // file, gives an empty list (as MLflow). Errors: kInvalidArgument (unsafe path), kInternal.
  virtual Result<std::vector<FileEntry>> List(const std::string& dir) const = 0;
  // Deletes a file or a directory tree. Errors: kInvalidArgument, kNotFound.
  virtual Status Delete(const std::string& path) = 0;
  // Stores bytes by content; returns the lowercase hex SHA-256. Idempotent.
  virtual Result<std::string> PutBlob(const std::string& bytes) = 0;
  // Reads a blob by digest. Errors: kInvalidArgument (not a 64-hex digest), kNotFound.
  virtual Result<std::string> GetBlob(const std::string& digest) const = 0;
  // Stores the contents of file `file_path` by content (streamed); returns the digest.
  // Idempotent. Errors: kNotFound (no such regular file), kInternal on I/O.
  virtual Result<std::string> PutBlobFile(const std::string& file_path,
                                          Sync sync = Sync::kDurable) = 0;
  // Absolute filesystem path of a blob, to read in place (never write to it).
  // Errors: kInvalidArgument (not a 64-hex digest), kNotFound.
  virtual Result<std::string> LocateBlob(const std::string& digest) const = 0;
  // Moves file `file_path` (on the store's filesystem, e.g. a staged upload) into the store as
  // blob `digest` after checking that its SHA-256 is `digest`; fsynced before the rename.
  // When the blob is stored already the file is left in place. Returns the blob's size.
  // The caller keeps others from writing the file meanwhile. Errors: kInvalidArgument for a
  // malformed digest or contents with another SHA-256 (the message gives both; the file is
  // left in place), kNotFound (no such regular file), kInternal on I/O.
  virtual Result<int64_t> AdoptBlobFile(const std::string& file_path,
                                        const std::string& digest) = 0;
};

// Checks that `digest` is a SHA-256 as the store names blobs: 64 lowercase hex characters.
// Errors: kInvalidArgument naming the digest.
Status ValidateDigest(const std::string& digest);

// Checks that `path` is a safe relative path: not absolute, no "." or ".." segments,
// no empty segments except a trailing '/', no backslash, NUL or control characters.
// Errors: kInvalidArgument naming the offending path.
Status ValidateRelativePath(const std::string& path);

// A store rooted at folder `root` (created if missing). Errors: kInternal.
Result<std::unique_ptr<ArtifactStore>> OpenLocalArtifactStore(const std::string& root);

// Lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(const std::string& bytes);

}  // namespace kiln::artifacts
