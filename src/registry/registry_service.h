// RegistryService: MLflow's model registry over a MetaStore. Versions are READY at once.
// Thread-safe. Errors: kInvalidArgument (bad names, stages, aliases, filters),
// kNotFound (unknown model, version or alias), kAlreadyExists (taken model name),
// kInternal (storage).
#pragma once

#include <string>
#include <vector>

#include "common/page.h"
#include "registry/entities.h"
#include "store/meta_store.h"

namespace kiln::registry {

// Registered models default to 100 results a page (MLflow's default).
struct SearchQuery : SearchRequest {
  SearchQuery() { max_results = 100; }
};

class RegistryService {
 public:
  // `store` must outlive the service.
  explicit RegistryService(store::MetaStore& store) : store_(store) {}

  Result<RegisteredModel> CreateRegisteredModel(const std::string& name,
                                                const std::vector<Tag>& tags,
                                                const std::string& description);
  Result<RegisteredModel> GetRegisteredModel(const std::string& name);
  Result<RegisteredModel> RenameRegisteredModel(const std::string& name,
                                                const std::string& new_name);
  Result<RegisteredModel> UpdateRegisteredModel(const std::string& name,
                                                const std::string& description);
  Status DeleteRegisteredModel(const std::string& name);
  Result<Page<RegisteredModel>> SearchRegisteredModels(const SearchQuery& query);
  // The newest version in each of `stages` (all stages when empty).
  Result<std::vector<ModelVersion>> GetLatestVersions(const std::string& name,
                                                      const std::vector<std::string>& stages);
  Status SetRegisteredModelTag(const std::string& name, const Tag& tag);
  Status DeleteRegisteredModelTag(const std::string& name, const std::string& key);
  Status SetAlias(const std::string& name, const std::string& alias, const std::string& version);
  Status DeleteAlias(const std::string& name, const std::string& alias);
  Result<ModelVersion> GetVersionByAlias(const std::string& name, const std::string& alias);

  Result<ModelVersion> CreateModelVersion(const NewModelVersion& request);
  Result<ModelVersion> GetModelVersion(const std::string& name, const std::string& version);
  Result<ModelVersion> UpdateModelVersion(const std::string& name, const std::string& version,
                                          const std::string& description);
  Status DeleteModelVersion(const std::string& name, const std::string& version);
  Result<Page<ModelVersion>> SearchModelVersions(const SearchQuery& query);
  // Every version of a model, newest first. Errors: kNotFound for an unknown model.
  Result<std::vector<ModelVersion>> ListModelVersions(const std::string& name);
  // Moves a version to a stage (None, Staging, Production, Archived; any case). With
  // `archive_existing`, other versions in that stage move to Archived.
  Result<ModelVersion> TransitionStage(const std::string& name, const std::string& version,
                                       const std::string& stage, bool archive_existing);
  Status SetModelVersionTag(const std::string& name, const std::string& version, const Tag& tag);
  Status DeleteModelVersionTag(const std::string& name, const std::string& version,
                               const std::string& key);

 private:
  store::MetaStore& store_;
};

}  // namespace kiln::registry
