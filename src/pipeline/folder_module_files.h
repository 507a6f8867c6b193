// The files of a module folder as the module pages list them: the same shape a published
// module's files have, and the manifest's text, read from disk.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/published_modules.h"

namespace kiln::pipeline {

// What a module folder holds, as a published module would list it.
struct FolderModuleFiles {
  std::vector<PublishedFile> files;  // sorted by path (WalkModuleFolder's rules)
  std::string manifest_text;         // module.yaml's contents ("" when the folder has none)
};

// Walks folder `dir`, sizing and hashing (SHA-256) every file and reading module.yaml.
// Errors: as WalkModuleFolder; kInternal "cannot read PATH: ..." when a file cannot be sized,
// and the errors of artifacts::Sha256OfFile. Thread-safe (reads only).
Result<FolderModuleFiles> ReadFolderModuleFiles(const std::string& dir);

}  // namespace kiln::pipeline
