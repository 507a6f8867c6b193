// Where pipelines find the modules they use.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"
#include "pipeline/module_manifest.h"

namespace kiln::pipeline {

// A read-only catalogue of module manifests. Implementations must be safe to call Find on
// from several threads.
class ModuleLibrary {
 public:
  virtual ~ModuleLibrary() = default;
  // The manifest of `name` at `version`, or nullptr. Owned by the library; valid while it lives.
  virtual const ModuleManifest* Find(std::string_view name, std::string_view version) const = 0;
  // True if any version of `name` exists (for "unknown module" vs "unknown version").
  virtual bool HasModule(std::string_view name) const = 0;
};

// A library held in memory, for tests and for manifests loaded from folders. Add is not
// thread-safe; Find and HasModule are, once filling is done.
class InMemoryModuleLibrary : public ModuleLibrary {
 public:
  // Adds a manifest. Errors: kAlreadyExists when name@version is already present.
  Status Add(ModuleManifest manifest);
  const ModuleManifest* Find(std::string_view name, std::string_view version) const override;
  bool HasModule(std::string_view name) const override;

 private:
  std::map<std::pair<std::string, std::string>, ModuleManifest> modules_;
};

}  // namespace kiln::pipeline
