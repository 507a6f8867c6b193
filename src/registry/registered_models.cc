// RegistryService: registered models, their tags and aliases.
#include <algorithm>
#include <cctype>

#include "common/ids.h"
#include "registry/registry_rows.h"
#include "registry/registry_service.h"

namespace kiln::registry {
namespace {

// Runs `fn` in a write transaction on an existing model, then bumps its update time.
Status UpdateModel(store::MetaStore& store, const std::string& name,
                   const std::function<Status(store::Session&)>& fn) {
  return store.Write([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(store::Rows rows,
                          s.Query("SELECT 1 FROM registered_models WHERE name = ?", {name}));
    if (rows.empty()) return NotFound("Registered Model with name=" + name + " not found");
    KILN_RETURN_IF_ERROR(fn(s));
    return TouchModel(s, name);
  });
}

Result<RegisteredModel> ReadModel(store::MetaStore& store, const std::string& name) {
  RegisteredModel model;
  KILN_RETURN_IF_ERROR(store.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(model, LoadModel(s, name));
    return Status::Ok();
  }));
  return model;
}

// MLflow reserves "latest" and "v<number>" because they name versions in model URIs.
Status ValidateAlias(const std::string& alias) {
  const bool well_formed = !alias.empty() && alias.size() <= 255 &&
                           std::all_of(alias.begin(), alias.end(), [](unsigned char c) {
                             return std::isalnum(c) || c == '_' || c == '-';
                           });
  if (!well_formed) {
    return InvalidArgument("Invalid alias name: '" + alias +
                           "'. Aliases may only contain alphanumerics, underscores and dashes, "
                           "and be at most 255 characters.");
  }
  std::string lower = alias;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  const bool version_like =
      lower.size() > 1 && lower[0] == 'v' && std::all_of(lower.begin() + 1, lower.end(), ::isdigit);
  if (lower == "latest" || version_like) {
    return InvalidArgument("'" + alias + "' alias name (case insensitive) is reserved.");
  }
  return Status::Ok();
}

}  // namespace

Result<RegisteredModel> RegistryService::CreateRegisteredModel(const std::string& name,
                                                               const std::vector<Tag>& tags,
                                                               const std::string& description) {
  KILN_RETURN_IF_ERROR(ValidateModelName(name));
  for (const Tag& tag : tags) KILN_RETURN_IF_ERROR(ValidateRegistryTag(tag));
  RegisteredModel model;
  KILN_RETURN_IF_ERROR(store_.Write([&](store::Session& s) -> Status {
    const int64_t now = NowMillis();
    Status inserted = s.Exec(
        "INSERT INTO registered_models (name, creation_time, "
        "last_updated_time, description) VALUES (?, ?, ?, ?)",
        {name, now, now, description});
    if (inserted.code() == StatusCode::kAlreadyExists) {
      return AlreadyExists("Registered Model (name=" + name + ") already exists.");
    }
    KILN_RETURN_IF_ERROR(inserted);
    for (const Tag& tag : tags) {
      KILN_RETURN_IF_ERROR(
          s.Exec("INSERT INTO registered_model_tags VALUES (?, ?, ?) ON "
                 "CONFLICT (name, key) DO UPDATE SET value = excluded.value",
                 {name, tag.key, tag.value}));
    }
    KILN_ASSIGN_OR_RETURN(model, LoadModel(s, name));
    return Status::Ok();
  }));
  return model;
}

Result<RegisteredModel> RegistryService::GetRegisteredModel(const std::string& name) {
  KILN_RETURN_IF_ERROR(ValidateModelName(name));
  return ReadModel(store_, name);
}

Result<RegisteredModel> RegistryService::RenameRegisteredModel(const std::string& name,
                                                               const std::string& new_name) {
  KILN_RETURN_IF_ERROR(ValidateModelName(new_name));
  KILN_RETURN_IF_ERROR(UpdateModel(store_, name, [&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(store::Rows taken,
                          s.Query("SELECT 1 FROM registered_models WHERE name = ?", {new_name}));
    if (!taken.empty() && new_name != name) {
      return AlreadyExists("Registered Model (name=" + new_name + ") already exists.");
    }
    for (const char* table : {"registered_models", "registered_model_tags", "model_versions",
                              "model_version_tags", "registered_model_aliases"}) {
      KILN_RETURN_IF_ERROR(s.Exec(std::string("UPDATE ") + table + " SET name = ? WHERE name = ?",
                                  {new_name, name}));
    }
    return TouchModel(s, new_name);
  }));
  return ReadModel(store_, new_name);
}

Result<RegisteredModel> RegistryService::UpdateRegisteredModel(const std::string& name,
                                                               const std::string& description) {
  KILN_RETURN_IF_ERROR(UpdateModel(store_, name, [&](store::Session& s) {
    return s.Exec("UPDATE registered_models SET description = ? WHERE name = ?",
                  {description, name});
  }));
  return ReadModel(store_, name);
}

Status RegistryService::DeleteRegisteredModel(const std::string& name) {
  return UpdateModel(store_, name, [&](store::Session& s) -> Status {
    for (const char* table : {"registered_model_tags", "model_versions", "model_version_tags",
                              "registered_model_aliases", "registered_models"}) {
      KILN_RETURN_IF_ERROR(s.Exec(std::string("DELETE FROM ") + table + " WHERE name = ?", {name}));
    }
    return Status::Ok();
  });
}

Status RegistryService::SetRegisteredModelTag(const std::string& name, const Tag& tag) {
  KILN_RETURN_IF_ERROR(ValidateRegistryTag(tag));
  return UpdateModel(store_, name, [&](store::Session& s) {
    return s.Exec(
        "INSERT INTO registered_model_tags VALUES (?, ?, ?) ON CONFLICT (name, key) DO "
        "UPDATE SET value = excluded.value",
        {name, tag.key, tag.value});
  });
}

Status RegistryService::DeleteRegisteredModelTag(const std::string& name, const std::string& key) {
  return UpdateModel(store_, name, [&](store::Session& s) -> Status {
    KILN_RETURN_IF_ERROR(
        s.Exec("DELETE FROM registered_model_tags WHERE name = ? AND key = ?", {name, key}));
    if (s.Changes() == 0) {
      return NotFound("No tag with name: " + key + " in registered model " + name);
    }
    return Status::Ok();
  });
}

Status RegistryService::SetAlias(const std::string& name, const std::string& alias,
                                 const std::string& version) {
  KILN_RETURN_IF_ERROR(ValidateAlias(alias));
  return UpdateModel(store_, name, [&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(ModelVersion v, LoadVersion(s, name, version));
    return s.Exec(
        "INSERT INTO registered_model_aliases VALUES (?, ?, ?) ON CONFLICT (name, "
        "alias) DO UPDATE SET version = excluded.version",
        {name, alias, std::stoll(v.version)});
  });
}

Status RegistryService::DeleteAlias(const std::string& name, const std::string& alias) {
  return UpdateModel(store_, name, [&](store::Session& s) -> Status {
    KILN_RETURN_IF_ERROR(
        s.Exec("DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?", {name, alias}));
    if (s.Changes() == 0) {
      return NotFound("Registered model alias " + alias + " not found for model " + name);
    }
    return Status::Ok();
  });
}

Result<ModelVersion> RegistryService::GetVersionByAlias(const std::string& name,
                                                        const std::string& alias) {
  ModelVersion out;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(RegisteredModel model, LoadModel(s, name));
    for (const Alias& a : model.aliases) {
      if (a.alias != alias) continue;
      KILN_ASSIGN_OR_RETURN(out, LoadVersion(s, name, a.version));
      return Status::Ok();
    }
    return NotFound("Registered model alias " + alias + " not found for model " + name);
  }));
  return out;
}

}  // namespace kiln::registry
