// Folders as content-addressed artifacts: each file becomes a blob, and a manifest listing
// (path, digest, size, executable) in sorted order becomes the folder's blob. Equal folders
// give equal digests, whatever their timestamps or where they sit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "artifacts/artifact_store.h"
#include "common/status.h"

namespace kiln::artifacts {

struct TreeEntry {
  std::string path;  // relative, '/'-separated
  std::string digest;
  int64_t size = 0;
  bool executable = false;
};

// Stores every regular file under `dir` and the manifest; returns the manifest's digest.
// Errors: kInvalidArgument for a symlink or special file inside (named), kNotFound when `dir`
// is not a directory, kInternal on I/O. Thread-safe if the store is.
Result<std::string> PutTree(ArtifactStore& store, const std::string& dir,
                            Sync sync = Sync::kDurable);

// Stores the manifest of a folder whose files are already stored as blobs (e.g. uploaded one
// by one); gives the digest PutTree gives for the same folder. Entries may come in any order.
// Errors: kInvalidArgument for an unsafe or duplicate path or a bad digest (named), kNotFound
// for an entry whose blob is not stored, kInternal on I/O.
Result<std::string> PutTreeOfBlobs(ArtifactStore& store, std::vector<TreeEntry> entries);

// The entries of a tree manifest's text (as stored for a folder). Errors: kInvalidArgument for
// text that is no tree manifest or a malformed line.
Result<std::vector<TreeEntry>> ParseTreeManifest(const std::string& text);

// The entries of a stored tree. Errors: kNotFound, kInvalidArgument if the blob is no tree.
Result<std::vector<TreeEntry>> ReadTree(const ArtifactStore& store, const std::string& digest);

// A read-only copy of tree `digest` as a folder under `cache_root` (made once, atomically;
// later calls return the same folder). Errors: as ReadTree, kInternal on I/O.
Result<std::string> MaterializeTree(const ArtifactStore& store, const std::string& digest,
                                    const std::string& cache_root);

}  // namespace kiln::artifacts
