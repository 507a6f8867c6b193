// Loading registry entities from store rows. Internal to registry/.
#pragma once

#include <string>

#include "registry/entities.h"
#include "store/meta_store.h"

namespace kiln::registry {

inline constexpr const char* kVersionColumns =
    "v.name, v.version, v.creation_time, v.last_updated_time, v.user_id, v.current_stage, "
    "v.description, v.source, v.run_id, v.status, v.status_message, v.run_link";

// A version from a row of kVersionColumns, with its tags and aliases loaded.
Result<ModelVersion> VersionFromRow(store::Session& session, const store::Row& row);
// Errors: kNotFound "Registered Model with name=... not found".
Result<RegisteredModel> LoadModel(store::Session& session, const std::string& name);
// Errors: kInvalidArgument for a non-numeric version, kNotFound for an unknown one.
Result<ModelVersion> LoadVersion(store::Session& session, const std::string& name,
                                 const std::string& version);
// Parses a version number. Errors: kInvalidArgument naming the value.
Result<int64_t> ParseVersion(const std::string& version);
// Model names: non-empty. Errors: kInvalidArgument.
Status ValidateModelName(const std::string& name);
// Registry tags: MLflow's key rules, value up to 5000 characters.
Status ValidateRegistryTag(const Tag& tag);
// Bumps the model's last_updated_time to now.
Status TouchModel(store::Session& session, const std::string& name);

}  // namespace kiln::registry
