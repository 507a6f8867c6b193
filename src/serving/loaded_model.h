// Loading registered model versions for serving: resolving a reference to a version, and a
// version's package (source kiln-package:<digest>) to a warmed predictor.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "artifacts/artifact_store.h"
#include "common/status.h"
#include "ml/predictor.h"
#include "registry/registry_service.h"
#include "serving/drift.h"
#include "serving/model_ref.h"

namespace kiln::serving {

// A model version ready to answer. Immutable once loaded; shared by the requests that use it,
// so a swap never pulls it from under one. Predict is thread-safe.
struct LoadedModel {
  std::string name;
  int64_t version = 0;
  std::string digest;  // the package folder's tree digest
  std::unique_ptr<ml::Predictor> predictor;
  int64_t loaded_ms = 0;
  // Live traffic against the training profile; null when the package carries none. Observe is
  // thread-safe, so the monitor is shared mutable state of an otherwise immutable model.
  std::shared_ptr<DriftMonitor> drift;

  const ml::ModelPackage& package() const { return predictor->package(); }
};

class ModelLoader {
 public:
  // Packages are materialized under `cache_root` (created if needed). The services must outlive
  // the loader. Thread-safe.
  ModelLoader(registry::RegistryService& registry, artifacts::ArtifactStore& artifacts,
              std::string cache_root)
      : registry_(registry), artifacts_(artifacts), cache_root_(std::move(cache_root)) {}

  // The version `ref` names now. Errors: kNotFound naming the model, alias or version.
  Result<int64_t> Resolve(const ModelRef& ref);

  // Loads and warms version `version` of `name`. Its source must be kiln-package:<digest>
  // (registry/package_source.h), checked before any filesystem access; the package is
  // materialized from the blob store (artifacts::MaterializeTree). A python package runs its
  // pickle's code. Errors: kNotFound (no such version), kInvalidArgument (a source that is not
  // a package digest, a package not stored, unsafe or broken), kInternal (logged; the message
  // names no server path).
  Result<std::shared_ptr<const LoadedModel>> Load(const std::string& name, int64_t version);

  // Loads and warms the package folder `dir` directly (`kiln serve`), as `version` of `name`.
  // Errors: kInvalidArgument (not a package, or a broken one).
  static Result<std::shared_ptr<const LoadedModel>> LoadFolder(const std::string& name,
                                                               int64_t version,
                                                               const std::string& dir);

 private:
  registry::RegistryService& registry_;
  artifacts::ArtifactStore& artifacts_;
  std::string cache_root_;
};

// Runs one synthetic row (zeros, false, the first known category or "") through `model`, so
// lazy initialization happens before real traffic. Failures are ignored: a model whose inputs
// cannot be synthesized is simply not warmed.
void Warm(const LoadedModel& model);

}  // namespace kiln::serving
