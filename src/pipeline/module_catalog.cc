#include "pipeline/module_catalog.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "pipeline/module_folder.h"
#include "pipeline/module_library.h"

namespace kiln::pipeline {

namespace {

void AddOnce(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// One name while merging: versions with the description of each, and the origins seen.
struct Merged {
  std::map<std::string, std::string> description_by_version;
  std::vector<std::string> origins;
};

}  // namespace

Result<std::vector<FolderModule>> ModuleCatalog::ScanFolders() const {
  std::vector<std::pair<std::string, std::string>> layers;  // origin, folder
  for (const std::string& dir : ModulePathFromEnv()) layers.emplace_back(kOriginPath, dir);
  if (std::string std_dir = StdModulesDir(); !std_dir.empty()) {
    layers.emplace_back(kOriginStandard, std_dir);
  }
  std::vector<FolderModule> out;
  for (const auto& [origin, dir] : layers) {
    KILN_ASSIGN_OR_RETURN(std::vector<ModuleManifest> found, ScanModuleRoot(dir));
    for (ModuleManifest& manifest : found) out.push_back({std::move(manifest), origin});
  }
  return out;
}

Result<std::vector<CatalogSummary>> ModuleCatalog::List() const {
  KILN_ASSIGN_OR_RETURN(std::vector<FolderModule> folders, ScanFolders());
  KILN_ASSIGN_OR_RETURN(std::vector<ModuleSummary> published, published_.List());
  std::map<std::string, Merged> by_name;
  for (const FolderModule& m : folders) {
    Merged& merged = by_name[m.manifest.name];
    merged.description_by_version.try_emplace(m.manifest.version, m.manifest.description);
    AddOnce(merged.origins, m.origin);
  }
  for (const ModuleSummary& p : published) {
    Merged& merged = by_name[p.name];
    for (const std::string& v : p.versions) merged.description_by_version.try_emplace(v, "");
    // The published summary describes its latest version only.
    auto latest = merged.description_by_version.find(p.latest_version);
    if (latest->second.empty()) latest->second = p.description;
    AddOnce(merged.origins, kOriginPublished);
  }
  std::vector<CatalogSummary> out;
  for (auto& [name, merged] : by_name) {
    CatalogSummary entry;
    entry.summary.name = name;
    for (const auto& [version, description] : merged.description_by_version) {
      entry.summary.versions.push_back(version);
    }
    SortVersions(entry.summary.versions);
    entry.summary.latest_version = entry.summary.versions.back();
    entry.summary.description = merged.description_by_version[entry.summary.latest_version];
    entry.origins = std::move(merged.origins);
    out.push_back(std::move(entry));
  }
  return out;
}

Result<CatalogVersion> ModuleCatalog::Find(const std::string& name,
                                           const std::string& requested) const {
  KILN_ASSIGN_OR_RETURN(std::vector<FolderModule> folders, ScanFolders());
  KILN_ASSIGN_OR_RETURN(std::vector<ModuleSummary> published, published_.List());
  std::set<std::string> versions;
  for (const FolderModule& m : folders) {
    if (m.manifest.name == name) versions.insert(m.manifest.version);
  }
  for (const ModuleSummary& p : published) {
    if (p.name == name) versions.insert(p.versions.begin(), p.versions.end());
  }
  CatalogVersion out;
  out.versions.assign(versions.begin(), versions.end());
  SortVersions(out.versions);
  const bool exact = !requested.empty() && requested != "latest";
  if (exact && versions.count(requested) == 0) {
    // A yanked version says so rather than looking as if it never existed.
    KILN_RETURN_IF_ERROR(published_.CheckNotYanked(name, requested));
  }
  if (out.versions.empty()) return NotFound("module '" + name + "' not found");
  if (requested.empty() || requested == "latest") {
    out.version = out.versions.back();
  } else if (versions.count(requested) != 0) {
    out.version = requested;
  } else {
    std::string list;
    for (const std::string& v : out.versions) list += (list.empty() ? "" : ", ") + v;
    return NotFound("module '" + name + "' has no version '" + requested + "' (versions: " + list +
                    ")");
  }
  // Folder layers come highest first, so the first match is the one pipelines use.
  for (FolderModule& m : folders) {
    if (m.manifest.name == name && m.manifest.version == out.version) {
      out.folder = std::move(m);
      break;
    }
  }
  return out;
}

}  // namespace kiln::pipeline
