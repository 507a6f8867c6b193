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

// One version as Find resolves it.
struct CatalogVersion {
  std::string version;                 // the version picked
  std::vector<std::string> versions;   // every version of the module, oldest first
  std::optional<FolderModule> folder;  // set when a folder layer holds `version`
};

// Thread-safe; holds a reference to `published`, which must outlive it.
class ModuleCatalog {
 public:
  explicit ModuleCatalog(const PublishedModules& published) : published_(published) {}

  // Every module, sorted by name. Errors: those of ScanModuleRoot (a broken folder module is
  // reported, naming its module.yaml), kInternal.
  Result<std::vector<CatalogSummary>> List() const;

  // Version `requested` of `name` ("" or "latest": the highest over every layer), with every
  // version of the module and, when a folder layer has that version, its folder module (which
  // wins over the same published version, as in pipelines). One scan of the folders. Errors:
  // kNotFound "module 'x' not found" or "module 'x' has no version '9.0.0' (versions: ...)",
  // "module x@1.1.0 was yanked ...", and those of List.
  Result<CatalogVersion> Find(const std::string& name, const std::string& requested) const;

 private:
  // The folder layers' modules, highest layer first.
  Result<std::vector<FolderModule>> ScanFolders() const;

  const PublishedModules& published_;
};

}  // namespace kiln::pipeline
