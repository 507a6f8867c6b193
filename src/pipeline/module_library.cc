#include "pipeline/module_library.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "pipeline/module_folder.h"

namespace kiln::pipeline {
namespace fs = std::filesystem;
namespace {

using Key = std::pair<std::string, std::string>;

int Sign(int value) { return (value > 0) - (value < 0); }

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool IsNumber(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Digit strings of any length, without overflow.
int CompareNumbers(std::string_view a, std::string_view b) {
  a.remove_prefix(std::min(a.find_first_not_of('0'), a.size()));
  b.remove_prefix(std::min(b.find_first_not_of('0'), b.size()));
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

int ComparePrereleaseIds(std::string_view a, std::string_view b) {
  const bool a_num = IsNumber(a);
  const bool b_num = IsNumber(b);
  if (a_num && b_num) return CompareNumbers(a, b);
  if (a_num != b_num) return a_num ? -1 : 1;
  return Sign(a.compare(b));
}

int ComparePrereleases(std::string_view a, std::string_view b) {
  if (a.empty() != b.empty()) return a.empty() ? 1 : -1;
  const std::vector<std::string_view> pa = Split(a, '.');
  const std::vector<std::string_view> pb = Split(b, '.');
  for (size_t i = 0; i < pa.size() && i < pb.size(); ++i) {
    if (int c = ComparePrereleaseIds(pa[i], pb[i])) return c;
  }
  return pa.size() == pb.size() ? 0 : (pa.size() < pb.size() ? -1 : 1);
}

// Splits "1.2.3-rc.1" into "1.2.3" and "rc.1".
std::pair<std::string_view, std::string_view> SplitPrerelease(std::string_view version) {
  const size_t dash = version.find('-');
  if (dash == std::string_view::npos) return {version, {}};
  return {version.substr(0, dash), version.substr(dash + 1)};
}

}  // namespace

int CompareVersions(std::string_view a, std::string_view b) {
  const bool a_valid = IsValidVersion(a);
  const bool b_valid = IsValidVersion(b);
  if (!a_valid || !b_valid) return a_valid != b_valid ? (a_valid ? -1 : 1) : Sign(a.compare(b));
  const auto [core_a, pre_a] = SplitPrerelease(a);
  const auto [core_b, pre_b] = SplitPrerelease(b);
  const std::vector<std::string_view> na = Split(core_a, '.');
  const std::vector<std::string_view> nb = Split(core_b, '.');
  for (size_t i = 0; i < 3; ++i) {
    if (int c = CompareNumbers(na[i], nb[i])) return c;
  }
  return ComparePrereleases(pre_a, pre_b);
}

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

std::vector<std::string> InMemoryModuleLibrary::Versions(std::string_view name) const {
  std::vector<std::string> versions;
  for (auto it = modules_.lower_bound(std::make_pair(std::string(name), std::string()));
       it != modules_.end() && it->first.first == name; ++it) {
    versions.push_back(it->first.second);
  }
  std::sort(versions.begin(), versions.end(),
            [](const std::string& a, const std::string& b) { return CompareVersions(a, b) < 0; });
  return versions;
}

void LayeredModuleLibrary::AddLayer(const std::string& origin,
                                    std::vector<ModuleManifest> modules) {
  for (ModuleManifest& m : modules) {
    const Key key{m.name, m.version};
    const std::string id = m.name + "@" + m.version;
    if (unusable_.count(key)) continue;  // broken already; lower layers change nothing
    const ModuleManifest* existing = modules_.Find(m.name, m.version);
    if (!m.unusable.empty()) {
      if (existing == nullptr) unusable_[key] = m.unusable;
      continue;
    }
    if (existing == nullptr) {
      origins_[key] = origin;
      // Cannot fail: the key is absent.
      modules_.Add(std::move(m)).IgnoreError();
      continue;
    }
    if (existing->files_digest == m.files_digest) continue;
    const std::string& first = origins_[key];
    unusable_[key] = first == origin
                         ? "module " + id + " appears twice in the " + origin +
                               " with different files; it cannot be used until one is removed"
                         : "module " + id + " has different files in the " + first +
                               " and in the " + origin +
                               "; a name@version must always mean the same files, so it cannot "
                               "be used: bump the version of one of them";
  }
}

const ModuleManifest* LayeredModuleLibrary::Find(std::string_view name,
                                                 std::string_view version) const {
  if (unusable_.count({std::string(name), std::string(version)})) return nullptr;
  return modules_.Find(name, version);
}

Status LayeredModuleLibrary::CheckUsable(std::string_view name, std::string_view version) const {
  auto it = unusable_.find({std::string(name), std::string(version)});
  if (it == unusable_.end()) return Status::Ok();
  return InvalidArgument(it->second);
}

bool LayeredModuleLibrary::HasModule(std::string_view name) const {
  return modules_.HasModule(name);
}

std::vector<std::string> LayeredModuleLibrary::Versions(std::string_view name) const {
  return modules_.Versions(name);
}

std::string LayeredModuleLibrary::OriginOf(std::string_view name, std::string_view version) const {
  auto it = origins_.find({std::string(name), std::string(version)});
  return it == origins_.end() ? "" : it->second;
}

std::vector<std::string> ModulePathFromEnv() {
  const char* env = std::getenv("KILN_MODULE_PATH");
  std::vector<std::string> dirs;
  if (env == nullptr) return dirs;
  for (std::string_view part : Split(env, ':')) {
    if (!part.empty()) dirs.emplace_back(part);
  }
  return dirs;
}

std::string StdModulesDir() {
  const char* env = std::getenv("KILN_STD_MODULES");
  if (env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  for (const char* relative : {"../modules", "../share/kiln/modules"}) {
    const fs::path candidate = exe.parent_path() / relative;
    if (fs::is_directory(candidate, ec)) return fs::weakly_canonical(candidate, ec).string();
  }
  return "";
}

ModuleLibraryOptions DefaultModuleLibraryOptions(const std::string& project_dir) {
  ModuleLibraryOptions options;
  options.project_dir = project_dir;
  options.extra_dirs = ModulePathFromEnv();
  options.std_dir = StdModulesDir();
  return options;
}

std::vector<ModuleFolderLayer> FolderLayers(const ModuleLibraryOptions& options) {
  std::vector<ModuleFolderLayer> layers;
  if (!options.project_dir.empty()) {
    layers.push_back({"project folder", (fs::path(options.project_dir) / "modules").string()});
  }
  for (size_t i = 0; i < options.extra_dirs.size(); ++i) {
    layers.push_back({"KILN_MODULE_PATH entry " + std::to_string(i + 1), options.extra_dirs[i]});
  }
  if (!options.std_dir.empty()) layers.push_back({"standard library", options.std_dir});
  return layers;
}

std::vector<ModuleFolderLayer> ServerFolderLayers() {
  return FolderLayers(DefaultModuleLibraryOptions(""));
}

Result<std::unique_ptr<ModuleLibrary>> OpenModuleLibrary(const ModuleLibraryOptions& options) {
  auto library = std::make_unique<LayeredModuleLibrary>();
  for (const ModuleFolderLayer& layer : FolderLayers(options)) {
    KILN_ASSIGN_OR_RETURN(std::vector<ModuleManifest> modules, ScanModuleRoot(layer.dir));
    library->AddLayer(layer.origin, std::move(modules));
  }
  library->AddLayer("published modules", options.published);
  return std::unique_ptr<ModuleLibrary>(std::move(library));
}

void SortVersions(std::vector<std::string>& versions) {
  std::sort(versions.begin(), versions.end(),
            [](const std::string& a, const std::string& b) { return CompareVersions(a, b) < 0; });
}

}  // namespace kiln::pipeline
