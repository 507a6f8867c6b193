// BlobUploads: resumable uploads of one blob in pieces, for blobs larger than one request may
// carry. Pieces are appended to a staging file named by the blob's digest (in a folder of the
// artifact root, so a digest-checked name cannot escape it); finishing checks the SHA-256 and
// moves the file into the ArtifactStore.
//
// Thread- and process-safe: every write holds an exclusive flock on the staging file and
// gives up at once (kUnavailable) when another request holds it, so an I/O thread never
// waits. Several clients may upload the same digest at once: the content at each offset is
// the same for all of them, and each resumes from the staged size the others reached.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "artifacts/artifact_store.h"
#include "common/status.h"

namespace kiln::artifacts {

struct UploadState {
  int64_t received = 0;  // bytes staged; the blob's size once it is stored
  bool stored = false;   // the blob is in the store; nothing more needs to be sent
};

struct AppendOutcome {
  bool accepted = false;  // false: `offset` was not the staged size, nothing was written
  UploadState state;      // after the append (or the staged size that refused it)
};

class BlobUploads {
 public:
  // Uploads staged in folder `staging_dir` (created if missing; on `store`'s filesystem)
  // and finished into `store`, which must outlive this. Errors: kInternal.
  static Result<std::unique_ptr<BlobUploads>> Open(ArtifactStore& store,
                                                   const std::string& staging_dir);

  // How much of blob `digest` is staged (0 when nothing is), or that it is stored.
  // Errors: kInvalidArgument (malformed digest), kInternal.
  Result<UploadState> State(const std::string& digest) const;

  // Appends `bytes` to the staged upload of `digest` when exactly `offset` bytes are staged
  // (offset 0 starts one). A stored blob accepts nothing and reports `stored`. Errors:
  // kInvalidArgument (malformed digest, negative offset), kUnavailable (another request is
  // writing this upload; retry), kInternal (nothing is appended then).
  Result<AppendOutcome> Append(const std::string& digest, int64_t offset, std::string_view bytes);

  // Checks the staged bytes' SHA-256 and moves them into the store; returns the blob's size.
  // A blob stored already answers its size (a leftover staging file is dropped). Errors:
  // kInvalidArgument (malformed digest; or contents with another SHA-256: the staged file is
  // deleted and nothing is stored), kNotFound (nothing staged), kUnavailable (another request
  // is writing this upload; retry), kInternal.
  Result<int64_t> Finish(const std::string& digest);

  // Deletes the staged upload of `digest`; returns whether there was one.
  // Errors: kInvalidArgument (malformed digest), kUnavailable (busy), kInternal.
  Result<bool> Discard(const std::string& digest);

 private:
  BlobUploads(ArtifactStore& store, std::string staging_dir)
      : store_(store), staging_dir_(std::move(staging_dir)) {}
  std::string StagingPath(const std::string& digest) const;
  Result<UploadState> StoredState(const std::string& digest) const;  // stored=false if not

  ArtifactStore& store_;
  const std::string staging_dir_;
};

}  // namespace kiln::artifacts
