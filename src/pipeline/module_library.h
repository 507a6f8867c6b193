// Where pipelines find the modules they use.
//
// A pipeline sees one library made of layers, searched in this priority order:
//   1. the project: <project_dir>/modules (folders holding module.yaml, at any depth),
//   2. the folders of env KILN_MODULE_PATH (colon-separated), in order,
//   3. the standard library: env KILN_STD_MODULES, else the first existing of
//      <dir of the kiln binary>/../modules and <dir of the kiln binary>/../share/kiln/modules,
//   4. published modules (kiln module publish), passed in already loaded.
// Different versions of one module may come from different layers. The same name@version in two
// layers must have the same files digest (the higher layer then wins); with different content
// that name@version cannot be used (a step using it fails to plan, naming both layers), so a
// project never silently shadows a module, and one bad layer never stops unrelated pipelines.
// Messages name layers ("standard library", "KILN_MODULE_PATH entry 2"), never their folders.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  // Every version of `name`, oldest first (CompareVersions order); empty when unknown or when
  // the library cannot enumerate (the default).
  virtual std::vector<std::string> Versions(std::string_view name) const { return {}; }
  // OK unless name@version is known but must not be used (Find then gives nullptr): two layers
  // disagree on its files, or it was yanked. Errors: kInvalidArgument saying why.
  virtual Status CheckUsable(std::string_view name, std::string_view version) const {
    return Status::Ok();
  }
};

// A library held in memory, for tests and for manifests loaded from folders. Add is not
// thread-safe; Find, HasModule and Versions are, once filling is done.
class InMemoryModuleLibrary : public ModuleLibrary {
 public:
  // Adds a manifest. Errors: kAlreadyExists when name@version is already present.
  Status Add(ModuleManifest manifest);
  const ModuleManifest* Find(std::string_view name, std::string_view version) const override;
  bool HasModule(std::string_view name) const override;
  std::vector<std::string> Versions(std::string_view name) const override;

 private:
  std::map<std::pair<std::string, std::string>, ModuleManifest> modules_;
};

// Layers of modules in priority order (see the top of this file). AddLayer is not thread-safe;
// the lookups are, once filling is done.
class LayeredModuleLibrary : public ModuleLibrary {
 public:
  // Adds `modules` below the layers added so far; `origin` names the layer in messages (e.g.
  // "project folder", "standard library"; no folder paths). A name@version already present
  // with the same files_digest is skipped (the earlier layer wins). One present with another
  // files_digest (in an earlier layer or in `modules` itself) becomes unusable, as does one
  // marked `unusable` (e.g. yanked) that no earlier layer has: Find gives nullptr and
  // CheckUsable says why.
  void AddLayer(const std::string& origin, std::vector<ModuleManifest> modules);
  const ModuleManifest* Find(std::string_view name, std::string_view version) const override;
  bool HasModule(std::string_view name) const override;
  std::vector<std::string> Versions(std::string_view name) const override;
  Status CheckUsable(std::string_view name, std::string_view version) const override;
  // The origin of the layer that provided name@version; "" when absent.
  std::string OriginOf(std::string_view name, std::string_view version) const;

 private:
  InMemoryModuleLibrary modules_;
  std::map<std::pair<std::string, std::string>, std::string> origins_;
  std::map<std::pair<std::string, std::string>, std::string> unusable_;  // why, by name@version
};

// One folder layer of a library: where it is and how messages name it.
struct ModuleFolderLayer {
  std::string origin;  // "project folder", "KILN_MODULE_PATH entry 2", "standard library"
  std::string dir;
};

// What OpenModuleLibrary loads; empty fields are left out.
struct ModuleLibraryOptions {
  std::string project_dir;                // the pipeline file's folder; <project_dir>/modules
  std::vector<std::string> extra_dirs;    // searched in order after the project
  std::string std_dir;                    // the standard library folder
  std::vector<ModuleManifest> published;  // e.g. PublishedModules::LoadAll(), lowest priority
};

// Options with project_dir, extra_dirs from KILN_MODULE_PATH and std_dir from StdModulesDir().
// Reads the environment; thread-safe.
ModuleLibraryOptions DefaultModuleLibraryOptions(const std::string& project_dir);

// The folders of env KILN_MODULE_PATH (split on ':', empty parts dropped). Thread-safe.
std::vector<std::string> ModulePathFromEnv();

// The standard library folder: env KILN_STD_MODULES when set, else the first existing of
// <exe dir>/../modules and <exe dir>/../share/kiln/modules (exe from /proc/self/exe), else "".
std::string StdModulesDir();

// The folder layers of `options` in priority order: the project's modules/ (when project_dir is
// set), each extra_dirs entry ("KILN_MODULE_PATH entry N", from 1), the standard library (when
// std_dir is set). Pure function.
std::vector<ModuleFolderLayer> FolderLayers(const ModuleLibraryOptions& options);

// The folder layers every pipeline on a server sees (no project folder): the KILN_MODULE_PATH
// entries and the standard library, from the environment. Thread-safe.
std::vector<ModuleFolderLayer> ServerFolderLayers();

// Scans the folders of `options` (ScanModuleRoot; missing folders are empty) and stacks them in
// priority order, the published modules last. Errors: those of ScanModuleRoot.
Result<std::unique_ptr<ModuleLibrary>> OpenModuleLibrary(const ModuleLibraryOptions& options);

// Semantic-version order of two valid versions: <0, 0 or >0. Numbers compare numerically and a
// prerelease sorts before its release (1.0.0-rc.1 < 1.0.0); prerelease identifiers compare as
// numbers when both are numeric, numbers before words, else as text. Invalid versions compare as
// text after valid ones. Pure function.
int CompareVersions(std::string_view a, std::string_view b);

// Sorts `versions` oldest first by CompareVersions. Pure function.
void SortVersions(std::vector<std::string>& versions);

}  // namespace kiln::pipeline
