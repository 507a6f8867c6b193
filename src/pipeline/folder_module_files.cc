#include "pipeline/folder_module_files.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "artifacts/sha256.h"
#include "pipeline/module_folder.h"

namespace kiln::pipeline {

Result<FolderModuleFiles> ReadFolderModuleFiles(const std::string& dir) {
  KILN_ASSIGN_OR_RETURN(std::vector<ModuleFolderEntry> entries, WalkModuleFolder(dir));
  FolderModuleFiles out;
  out.files.reserve(entries.size());
  for (const ModuleFolderEntry& e : entries) {
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(e.absolute, ec);
    if (ec) return Internal("cannot read " + e.absolute + ": " + ec.message());
    PublishedFile file;
    file.path = e.path;
    KILN_ASSIGN_OR_RETURN(file.digest, artifacts::Sha256OfFile(e.absolute));
    file.size = static_cast<int64_t>(size);
    file.executable = e.executable;
    out.files.push_back(std::move(file));
    if (e.path == "module.yaml") {
      std::ifstream in(e.absolute, std::ios::binary);
      out.manifest_text.assign(std::istreambuf_iterator<char>(in),
                               std::istreambuf_iterator<char>());
    }
  }
  return out;
}

}  // namespace kiln::pipeline
