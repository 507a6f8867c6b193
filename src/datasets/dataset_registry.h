// DatasetRegistry: named datasets with numbered versions (1, 2, ...). A version names stored
// content by SHA-256 digest: one file (a blob) or a folder (a blob tree, see
// artifacts/blob_tree.h). Versions are immutable; adding content equal to the latest
// version's gives that version back instead of a new one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "artifacts/artifact_store.h"
#include "common/status.h"
#include "datasets/dataset_ref.h"
#include "store/meta_store.h"

namespace kiln::datasets {

struct DatasetVersion {
  std::string name;
  int64_t version = 0;
  std::string digest;
  bool is_tree = false;
  int64_t size_bytes = 0;  // all files together
  int64_t file_count = 0;
  std::string source;  // where it was added from, for display
  int64_t created_ms = 0;
};

struct Dataset {
  std::string name;
  std::string description;
  int64_t latest_version = 0;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;         // when the latest version was added
  int64_t latest_size_bytes = 0;  // of the latest version
};

struct NewVersion {
  std::string name;
  std::string digest;  // must already be in the artifact store
  bool is_tree = false;
  std::string source;
  std::string description;  // kept when non-empty
};

struct AddedVersion {
  DatasetVersion version;
  bool created = false;  // false: the content equals the latest version's
};

class DatasetRegistry {
 public:
  // Both outlive the registry. Thread-safe.
  DatasetRegistry(store::MetaStore& store, artifacts::ArtifactStore& artifacts);

  // Adds a version (size and file count are read from the stored content). Errors:
  // kInvalidArgument for a bad name or digest, kNotFound when the content is not stored
  // (or the tree is incomplete), kInternal.
  Result<AddedVersion> AddVersion(const NewVersion& request);
  // Every dataset, by name.
  Result<std::vector<Dataset>> List();
  // The versions of `name`, newest first. Errors: kNotFound.
  Result<std::vector<DatasetVersion>> Versions(const std::string& name);
  // One version; latest when ref.version is unset. Errors: kNotFound naming the dataset (and
  // its latest version when the asked one does not exist).
  Result<DatasetVersion> Get(const DatasetRef& ref);

 private:
  Result<DatasetVersion> Measure(const NewVersion& request);

  store::MetaStore& store_;
  artifacts::ArtifactStore& artifacts_;
};

}  // namespace kiln::datasets
