// The module catalogue a server shows (the UI's palette, `GET /api/v1/modules`): every module a
// pipeline on this server can use without a project folder, from the folders of
// KILN_MODULE_PATH, the standard library and the published modules, merged by name. The same
// name@version in several places is shown once, from the highest layer (as pipelines resolve
// it). Folders are scanned on each call: they are small, and edits show without a restart.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/module_manifest.h"
#include "pipeline/published_modules.h"

namespace kiln::pipeline {

// Where a catalogued version comes from.
inline constexpr const char* kOriginPath = "path";          // a KILN_MODULE_PATH folder
inline constexpr const char* kOriginStandard = "standard";  // the standard library
inline constexpr const char* kOriginPublished = "published";

struct CatalogSummary {
  ModuleSummary summary;             // versions merged over all origins
  std::vector<std::string> origins;  // of any version, in layer order, each once
};

// A version found in a folder layer (the published ones are read with PublishedModules::Get).
struct FolderModule {
  ModuleManifest manifest;  // source_dir and files_digest set
  std::string origin;       // kOriginPath or kOriginStandard
};

// Thread-safe; holds a reference to `published`, which must outlive it.
class ModuleCatalog {
 public:
  explicit ModuleCatalog(const PublishedModules& published) : published_(published) {}

  // Every module, sorted by name. Errors: those of ScanModuleRoot (a broken folder module is
  // reported, naming its module.yaml), kInternal.
  Result<std::vector<CatalogSummary>> List() const;

  // Every version of `name` in any layer, oldest first (empty when unknown). Errors: as List.
  Result<std::vector<std::string>> Versions(const std::string& name) const;

  // name@version from the folder layers, or nullopt when no folder has it. Errors: as List.
  Result<std::optional<FolderModule>> FindInFolders(const std::string& name,
                                                    const std::string& version) const;

 private:
  // The folder layers' modules, highest layer first.
  Result<std::vector<FolderModule>> ScanFolders() const;

  const PublishedModules& published_;
};

}  // namespace kiln::pipeline
