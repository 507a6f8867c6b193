#include "pipeline/module_library.h"

namespace kiln::pipeline {

Status InMemoryModuleLibrary::Add(ModuleManifest manifest) {
  auto key = std::make_pair(manifest.name, manifest.version);
  if (modules_.count(key)) {
    return AlreadyExists("module " + key.first + "@" + key.second + " is already in the library");
  }
  modules_.emplace(std::move(key), std::move(manifest));
  return Status::Ok();
}

const ModuleManifest* InMemoryModuleLibrary::Find(std::string_view name,
                                                  std::string_view version) const {
  auto it = modules_.find(std::make_pair(std::string(name), std::string(version)));
  return it == modules_.end() ? nullptr : &it->second;
}

bool InMemoryModuleLibrary::HasModule(std::string_view name) const {
  auto it = modules_.lower_bound(std::make_pair(std::string(name), std::string()));
  return it != modules_.end() && it->first.first == name;
}

}  // namespace kiln::pipeline
