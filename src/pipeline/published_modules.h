// Published modules: the global, immutable module library kept in the metadata store (tables
// modules and module_files) with the files as content-addressed blobs. A published name@version
// never changes: publishing it again with the same files is a no-op, with other files an error.
// Command modules run from a materialized copy of their files (Materialize).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "artifacts/artifact_store.h"
#include "common/status.h"
#include "pipeline/module_folder.h"
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

// One row of List().
struct ModuleSummary {
  std::string name;
  std::string latest_version;         // highest by CompareVersions
  std::vector<std::string> versions;  // oldest first
  std::string description;            // of the latest version
};

// Thread-safe (the stores are); holds references to stores that must outlive it.
class PublishedModules {
 public:
  PublishedModules(store::MetaStore& store, artifacts::ArtifactStore& artifacts)
      : store_(store), artifacts_(artifacts) {}

  // Publishes a module from its manifest text and files (module.yaml among them, with exactly
  // `manifest_text` as contents). The files digest is the one LoadModuleFolder computes for the
  // same files. Errors: kInvalidArgument for a bad manifest ("module.yaml:<line>:<col>: ..."), a
  // name that is not a safe relative path, no or a different module.yaml, a bad, duplicate,
  // hidden or clashing ("a" and "a/b") file path (message names files[i].path), too many files;
  // kAlreadyExists "module x@1.0.0 is already published with different content; ..." ;
  // kInternal for storage failures.
  Result<PublishResult> Publish(const std::string& manifest_text,
                                const std::vector<ModuleFile>& files);

  // Every published module, sorted by name. Errors: kInternal.
  Result<std::vector<ModuleSummary>> List() const;

  // One version; `version` "" or "latest" means the highest. Errors: kNotFound "module 'x' not
  // found" or "module 'x' has no version '9.0.0' (versions: 1.0.0, 1.1.0)"; kInternal.
  Result<PublishedModule> Get(const std::string& name, const std::string& version) const;

  // The module's files as a folder, written once and atomically (a temporary folder renamed
  // into place; executables 0755, others 0644) at <cache_root>/<name with '/' as %2F>/<version>;
  // later calls return the existing folder. Returns its absolute path. Errors: as Get,
  // kInternal on I/O.
  Result<std::string> Materialize(const std::string& name, const std::string& version,
                                  const std::string& cache_root) const;

  // Every published manifest (files_digest set). With a non-empty `cache_root` each is
  // materialized eagerly and source_dir points at its folder; otherwise source_dir is empty.
  // Errors: kInternal, and those of Materialize.
  Result<std::vector<ModuleManifest>> LoadAll(const std::string& cache_root) const;

 private:
  store::MetaStore& store_;
  artifacts::ArtifactStore& artifacts_;
};

// Most files one published module may have.
inline constexpr size_t kMaxModuleFiles = 10000;

}  // namespace kiln::pipeline
