// Published modules: the global, immutable module library kept in the metadata store (tables
// modules and module_files) with the files as content-addressed blobs. A published name@version
// never changes: publishing it again with the same files is a no-op, with other files an error.
// Command modules run from a materialized copy of their files (Materialize).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "artifacts/artifact_store.h"
#include "common/status.h"
#include "pipeline/module_folder.h"
#include "pipeline/module_library.h"
#include "pipeline/module_manifest.h"
#include "store/meta_store.h"

namespace kiln::pipeline {

// One stored file of a published module.
struct PublishedFile {
  std::string path;    // relative, '/'-separated
  std::string digest;  // SHA-256 of the contents (the blob's key)
  int64_t size = 0;
  bool executable = false;
};

struct PublishedModule {
  ModuleManifest manifest;            // files_digest set; source_dir empty
  std::string manifest_text;          // module.yaml as published
  std::vector<PublishedFile> files;   // sorted by path
  std::vector<std::string> versions;  // every published version of the module, oldest first
  int64_t created_ms = 0;
};

struct PublishResult {
  PublishedModule module;
  bool created = false;  // false when the same content was already published
};

// What Yank did.
struct YankResult {
  std::string name;
  std::string version;
  bool yanked_now = false;  // false when it was yanked already
  int64_t yanked_ms = 0;    // when it was yanked
};

// One row of List().
struct ModuleSummary {
  std::string name;
  std::string latest_version;         // highest by CompareVersions
  std::vector<std::string> versions;  // oldest first
  std::string description;            // of the latest version
};

// The folder layers a publish must not contradict (called on each Publish).
using FolderLayersFn = std::function<std::vector<ModuleFolderLayer>()>;

// Thread-safe (the stores are); holds references to stores that must outlive it.
class PublishedModules {
 public:
  // `folder_layers` gives the folder layers of the server's library (default: the environment's,
  // ServerFolderLayers); an empty function checks none.
  PublishedModules(store::MetaStore& store, artifacts::ArtifactStore& artifacts,
                   FolderLayersFn folder_layers = ServerFolderLayers)
      : store_(store), artifacts_(artifacts), folder_layers_(std::move(folder_layers)) {}

  // Publishes a module from its manifest text and files (module.yaml among them, with exactly
  // `manifest_text` as contents). The files digest is the one LoadModuleFolder computes for the
  // same files. Errors: kInvalidArgument for a bad manifest ("module.yaml:<line>:<col>: ..."), a
  // name that is not a safe relative path, no or a different module.yaml, a bad, duplicate,
  // hidden or clashing ("a" and "a/b") file path (message names files[i].path), too many files
  // (artifacts::ValidateFileList); kAlreadyExists "module x@1.0.0 is already published with
  // different content; ...", for a yanked name@version, and for one a folder layer has with
  // other files (naming the layer, not its folder); kFailedPrecondition when a folder layer
  // cannot be scanned; kInternal for storage failures.
  Result<PublishResult> Publish(const std::string& manifest_text,
                                const std::vector<ModuleFile>& files);

  // Every published module (yanked versions left out), sorted by name. Errors: kInternal.
  Result<std::vector<ModuleSummary>> List() const;

  // One version; `version` "" or "latest" means the highest not yanked. Errors: kNotFound
  // "module 'x' not found", "module 'x' has no version '9.0.0' (versions: 1.0.0, 1.1.0)" or
  // "module x@1.0.0 was yanked ..."; kInternal.
  Result<PublishedModule> Get(const std::string& name, const std::string& version) const;

  // The module's files as a folder, written once and atomically (a temporary folder renamed
  // into place; executables 0755, others 0644) at <cache_root>/<name with '/' as %2F>/<version>;
  // later calls return the existing folder. Returns its absolute path. Errors: as Get,
  // kInternal on I/O.
  Result<std::string> Materialize(const std::string& name, const std::string& version,
                                  const std::string& cache_root) const;

  // Every published manifest (files_digest set), the yanked ones with `unusable` saying so (so
  // that a library can tell a step its module was yanked). With a non-empty `cache_root` each
  // one not yanked is materialized eagerly and source_dir points at its folder (one that cannot
  // be materialized gets `unusable` instead: it never stops the others); otherwise source_dir
  // is empty. Errors: kInternal.
  Result<std::vector<ModuleManifest>> LoadAll(const std::string& cache_root) const;

  // OK unless name@version was yanked. Errors: kNotFound "module x@1.1.0 was yanked and can no
  // longer be used", kInternal.
  Status CheckNotYanked(const std::string& name, const std::string& version) const;

  // Withdraws name@version: List, Get and pipelines no longer see it (a step using it fails to
  // plan saying it was yanked), while its row stays so that the version is never published
  // again with other content. Idempotent. Files already materialized stay for runs in flight.
  // Errors: kInvalidArgument (not an exact version), kNotFound (not published), kInternal.
  Result<YankResult> Yank(const std::string& name, const std::string& version);

 private:
  store::MetaStore& store_;
  artifacts::ArtifactStore& artifacts_;
  FolderLayersFn folder_layers_;
};

// Most files one published module may have.
inline constexpr size_t kMaxModuleFiles = 10000;

}  // namespace kiln::pipeline
