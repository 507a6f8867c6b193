// Registry entities: MLflow's registered models, model versions, tags and aliases.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "meta/tag.h"

namespace kiln::registry {

using Tag = meta::Tag;

struct Alias {
  std::string alias;
  std::string version;
};

struct ModelVersion {
  std::string name;
  std::string version;  // decimal, as MLflow sends it
  int64_t creation_timestamp = 0;
  int64_t last_updated_timestamp = 0;
  std::string user_id;
  std::string current_stage = "None";
  std::string description;
  std::string source;
  std::string run_id;
  std::string status = "READY";
  std::string status_message;
  std::string run_link;
  std::vector<Tag> tags;
  std::vector<std::string> aliases;
};

struct RegisteredModel {
  std::string name;
  int64_t creation_timestamp = 0;
  int64_t last_updated_timestamp = 0;
  std::string description;
  std::vector<ModelVersion> latest_versions;  // the newest version in each stage
  std::vector<Tag> tags;
  std::vector<Alias> aliases;
};

struct NewModelVersion {
  std::string name;
  std::string source;
  std::string run_id;
  std::string run_link;
  std::string description;
  std::vector<Tag> tags;
};

}  // namespace kiln::registry
