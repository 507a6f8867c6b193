// Folders as content-addressed artifacts: each file becomes a blob, and a manifest listing
// (path, digest, size, executable) in sorted order becomes the folder's blob. Equal folders
// give equal digests, whatever their timestamps or where they sit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "artifacts/artifact_store.h"
#include "artifacts/file_list.h"
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

// Checks entries that name files of a folder: ValidateFileList over their paths and sizes (field
// `field`, e.g. "files[]") and ValidateDigest on every digest. Pure function.
// Errors: kInvalidArgument naming the entry.
Status ValidateTreeEntries(const std::vector<TreeEntry>& entries, std::string_view field,
                           const FileListLimits& limits = {});

// The entries of a tree manifest's text (as stored for a folder), checked with
// ValidateTreeEntries. Errors: kInvalidArgument for text that is no tree manifest, a malformed
// line or an unsafe entry (an absolute or "../" path, a duplicate, a bad digest, ...).
Result<std::vector<TreeEntry>> ParseTreeManifest(const std::string& text);

// The entries of a stored tree, checked as ParseTreeManifest does. Errors: kInvalidArgument
// (a malformed digest; a blob that is no tree, a bad one, or one over kMaxTreeManifestBytes),
// kNotFound.
Result<std::vector<TreeEntry>> ReadTree(const ArtifactStore& store, const std::string& digest);

// A read-only copy of tree `digest` as a folder `cache_root`/`digest` (made once, atomically;
// later calls return the same folder). The digest is checked before any path is built from it,
// the entries before any file is written, and the files are written with WriteTreeFolder, so
// nothing lands outside that folder. Errors: as ReadTree and WriteTreeFolder, kInternal on I/O.
Result<std::string> MaterializeTree(const ArtifactStore& store, const std::string& digest,
                                    const std::string& cache_root);

// Largest tree manifest ReadTree reads (a million files with 200-byte paths fit).
inline constexpr int64_t kMaxTreeManifestBytes = int64_t{256} << 20;

}  // namespace kiln::artifacts
