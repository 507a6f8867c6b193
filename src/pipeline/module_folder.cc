#include "pipeline/module_folder.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include "artifacts/artifact_store.h"
#include "artifacts/sha256.h"

namespace kiln::pipeline {
namespace fs = std::filesystem;
namespace {

constexpr char kDigestHeader[] = "kiln-module-files-v1\n";
constexpr int kMaxScanDepth = 16;

bool IsInside(const fs::path& root, const fs::path& target) {
  const std::string& r = root.native();
  const std::string& t = target.native();
  return t.size() > r.size() && t.compare(0, r.size(), r) == 0 && t[r.size()] == '/';
}

std::string Quoted(const fs::path& path) { return "'" + path.string() + "'"; }

// Resolves a symlink to the file it names, which must lie inside `root`.
Status CheckSymlink(const fs::path& root, const fs::path& link, struct stat* st) {
  std::error_code ec;
  const fs::path target = fs::canonical(link, ec);
  if (ec) return InvalidArgument(Quoted(link) + " is a broken symlink");
  if (!IsInside(root, target)) {
    return InvalidArgument(Quoted(link) + " is a symlink to " + Quoted(target) +
                           ", outside the module folder");
  }
  if (::stat(target.c_str(), st) != 0) return Internal("cannot stat " + Quoted(target));
  if (S_ISDIR(st->st_mode)) {
    return InvalidArgument(Quoted(link) +
                           " is a symlink to a folder; only links to files are "
                           "allowed in a module folder");
  }
  return Status::Ok();
}

Status AddFile(const fs::path& root, const fs::path& file, const std::string& relative,
               std::vector<ModuleFolderEntry>& out) {
  struct stat st;
  if (::lstat(file.c_str(), &st) != 0) return Internal("cannot stat " + Quoted(file));
  if (S_ISLNK(st.st_mode)) KILN_RETURN_IF_ERROR(CheckSymlink(root, file, &st));
  if (!S_ISREG(st.st_mode)) return InvalidArgument(Quoted(file) + " is not a regular file");
  out.push_back({relative, file.string(), (st.st_mode & S_IXUSR) != 0});
  return Status::Ok();
}

Status WalkInto(const fs::path& root, const fs::path& dir, const std::string& prefix,
                std::vector<ModuleFolderEntry>& out) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const std::string relative = prefix.empty() ? name : prefix + "/" + name;
    if (IsSkippedModulePath(name)) continue;
    Status safe = artifacts::ValidateRelativePath(relative);
    if (!safe.ok()) return InvalidArgument("module folder " + Quoted(root) + ": " + safe.message());
    std::error_code type_ec;
    if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) {
      KILN_RETURN_IF_ERROR(WalkInto(root, it->path(), relative, out));
    } else {
      KILN_RETURN_IF_ERROR(AddFile(root, it->path(), relative, out));
    }
  }
  if (ec) return Internal("cannot list folder " + Quoted(dir) + ": " + ec.message());
  return Status::Ok();
}

Result<std::string> ReadManifestFile(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return InvalidArgument("'" + path + "' not found: a module folder needs a module.yaml");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return Internal("cannot read '" + path + "'");
  return text.str();
}

// Sub-folders of `dir` worth scanning, sorted so that results do not depend on readdir order.
std::vector<fs::path> ScanChildren(const fs::path& dir) {
  std::vector<fs::path> children;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    const std::string name = it->path().filename().string();
    if (!IsSkippedModulePath(name) && it->is_directory(type_ec)) children.push_back(it->path());
  }
  std::sort(children.begin(), children.end());
  return children;
}

Status ScanInto(const fs::path& dir, int depth, std::set<fs::path>& seen,
                std::vector<ModuleManifest>& out) {
  std::error_code ec;
  const fs::path real = fs::canonical(dir, ec);
  // Symlinked folders can form cycles or reach one module twice; visit each folder once.
  if (ec || depth > kMaxScanDepth || !seen.insert(real).second) return Status::Ok();
  if (fs::exists(dir / "module.yaml", ec)) {
    KILN_ASSIGN_OR_RETURN(ModuleManifest manifest, LoadModuleFolder(dir.string()));
    out.push_back(std::move(manifest));
    return Status::Ok();
  }
  for (const fs::path& child : ScanChildren(dir)) {
    KILN_RETURN_IF_ERROR(ScanInto(child, depth + 1, seen, out));
  }
  return Status::Ok();
}

Status CheckUnique(const std::string& root, const std::vector<ModuleManifest>& modules) {
  std::map<std::string, const ModuleManifest*> by_id;
  for (const ModuleManifest& m : modules) {
    auto [it, inserted] = by_id.emplace(m.name + "@" + m.version, &m);
    if (!inserted) {
      return InvalidArgument("module " + it->first + " is declared twice under '" + root + "': '" +
                             it->second->source_dir + "' and '" + m.source_dir + "'");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ModuleFileHash> HashOneFile(const std::string& absolute, const std::string& relative,
                                   const FileHashLimits& limits) {
  struct stat st;
  if (::stat(absolute.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return NotFound("'" + relative + "' is not a file");
  }
  ModuleFileHash hash{relative, (st.st_mode & S_IXUSR) != 0, ""};
  if (st.st_size > limits.max_content_bytes) {
    const int64_t mtime_ns = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
    hash.sha256 = "size=" + std::to_string(st.st_size) + " mtime_ns=" + std::to_string(mtime_ns);
    return hash;
  }
  KILN_ASSIGN_OR_RETURN(hash.sha256, artifacts::Sha256OfFile(absolute));
  return hash;
}

Result<std::vector<ModuleFileHash>> HashFolderFiles(const std::string& dir,
                                                    const std::string& prefix,
                                                    const FileHashLimits& limits) {
  KILN_ASSIGN_OR_RETURN(std::vector<ModuleFolderEntry> entries, WalkModuleFolder(dir));
  if (entries.size() > limits.max_files) {
    return InvalidArgument("'" + (prefix.empty() ? dir : prefix) + "' holds " +
                           std::to_string(entries.size()) + " files, more than " +
                           std::to_string(limits.max_files));
  }
  std::vector<ModuleFileHash> hashes;
  hashes.reserve(entries.size());
  for (const ModuleFolderEntry& entry : entries) {
    const std::string name = prefix.empty() ? entry.path : prefix + "/" + entry.path;
    KILN_ASSIGN_OR_RETURN(ModuleFileHash hash, HashOneFile(entry.absolute, name, limits));
    hashes.push_back(std::move(hash));
  }
  return hashes;
}

std::string ComputeFilesDigest(std::vector<ModuleFileHash> files) {
  std::sort(files.begin(), files.end(),
            [](const ModuleFileHash& a, const ModuleFileHash& b) { return a.path < b.path; });
  artifacts::Sha256 hasher;
  hasher.Update(kDigestHeader);
  for (const ModuleFileHash& f : files) {
    hasher.Update(f.path + '\t' + (f.executable ? "x" : "-") + '\t' + f.sha256 + '\n');
  }
  return hasher.HexDigest();
}

std::string ComputeFilesDigest(const std::vector<ModuleFile>& files) {
  std::vector<ModuleFileHash> hashes;
  hashes.reserve(files.size());
  for (const ModuleFile& f : files) {
    hashes.push_back({f.path, f.executable, artifacts::Sha256Hex(f.bytes)});
  }
  return ComputeFilesDigest(std::move(hashes));
}

bool IsSkippedModulePath(std::string_view relative_path) {
  size_t start = 0;
  while (start <= relative_path.size()) {
    size_t end = relative_path.find('/', start);
    if (end == std::string_view::npos) end = relative_path.size();
    const std::string_view segment = relative_path.substr(start, end - start);
    if ((!segment.empty() && segment[0] == '.') || segment == "__pycache__") return true;
    start = end + 1;
  }
  return false;
}

Result<std::vector<ModuleFolderEntry>> WalkModuleFolder(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return NotFound("no module folder '" + dir + "'");
  const fs::path root = fs::canonical(dir, ec);
  if (ec) return Internal("cannot resolve '" + dir + "': " + ec.message());
  std::vector<ModuleFolderEntry> entries;
  KILN_RETURN_IF_ERROR(WalkInto(root, root, "", entries));
  std::sort(entries.begin(), entries.end(),
            [](const ModuleFolderEntry& a, const ModuleFolderEntry& b) { return a.path < b.path; });
  return entries;
}

Result<std::vector<ModuleFile>> ReadModuleFiles(const std::string& dir) {
  KILN_ASSIGN_OR_RETURN(std::vector<ModuleFolderEntry> entries, WalkModuleFolder(dir));
  std::vector<ModuleFile> files;
  for (ModuleFolderEntry& entry : entries) {
    std::ifstream in(entry.absolute, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) return Internal("cannot read '" + entry.absolute + "'");
    files.push_back({std::move(entry.path), bytes.str(), entry.executable});
  }
  return files;
}

Result<ModuleManifest> LoadModuleFolder(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return NotFound("no module folder '" + dir + "'");
  const std::string yaml_path = (fs::path(dir) / "module.yaml").string();
  KILN_ASSIGN_OR_RETURN(std::string text, ReadManifestFile(yaml_path));
  KILN_ASSIGN_OR_RETURN(ModuleManifest manifest, ParseModuleManifest(text, yaml_path));
  const fs::path root = fs::canonical(dir, ec);
  if (ec) return Internal("cannot resolve '" + dir + "': " + ec.message());
  KILN_ASSIGN_OR_RETURN(std::vector<ModuleFileHash> hashes, HashFolderFiles(root.string()));
  manifest.files_digest = ComputeFilesDigest(std::move(hashes));
  manifest.source_dir = root.string();
  return manifest;
}

Result<std::vector<ModuleManifest>> ScanModuleRoot(const std::string& root) {
  std::error_code ec;
  if (!fs::exists(root, ec)) return std::vector<ModuleManifest>();
  if (!fs::is_directory(root, ec)) {
    return InvalidArgument("module folder '" + root + "' is not a folder");
  }
  std::vector<ModuleManifest> modules;
  std::set<fs::path> seen;
  KILN_RETURN_IF_ERROR(ScanInto(root, 0, seen, modules));
  std::sort(modules.begin(), modules.end(), [](const ModuleManifest& a, const ModuleManifest& b) {
    return a.source_dir < b.source_dir;
  });
  KILN_RETURN_IF_ERROR(CheckUnique(root, modules));
  return modules;
}

}  // namespace kiln::pipeline
