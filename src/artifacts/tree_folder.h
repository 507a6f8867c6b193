// Writing a stored folder (tree entries whose contents are blobs) out as a real folder, so that
// nothing can land outside it: entries are validated first, and every folder and file is
// created relative to its parent's descriptor with O_NOFOLLOW (files also O_EXCL), so neither
// a crafted path nor a symlink planted meanwhile redirects a write.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "artifacts/artifact_store.h"
#include "artifacts/blob_tree.h"
#include "common/status.h"

namespace kiln::artifacts {

// How WriteTreeFolder sets up what it writes.
struct TreeFolderModes {
  mode_t file = 0444;        // a file whose entry is not executable
  mode_t executable = 0555;  // an executable one
  bool fsync = false;        // fsync every file before returning
};

// Creates folder `dir` (it must not exist; its parent must) and writes the files of `entries`
// into it, each a copy of its blob in `store`, after checking them with ValidateTreeEntries
// (field "files[]"). Sub-folders are 0755. On error `dir` is removed again. Thread-safe if the
// store is. Errors: kInvalidArgument (an unsafe entry, or a blob whose size is not its entry's),
// kNotFound (a blob not stored), kAlreadyExists (`dir` exists), kInternal on I/O. Messages
// name entries by their relative path, never `dir`.
Status WriteTreeFolder(const ArtifactStore& store, const std::vector<TreeEntry>& entries,
                       const std::string& dir, const TreeFolderModes& modes = {});

}  // namespace kiln::artifacts
