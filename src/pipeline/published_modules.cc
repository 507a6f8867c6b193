#include "pipeline/published_modules.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
#include <system_error>

#include "common/ids.h"
#include "pipeline/module_library.h"

namespace kiln::pipeline {
namespace fs = std::filesystem;
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Names become folders (Materialize), so they must be safe relative paths too.
Status CheckName(const std::string& name) {
  Status safe = artifacts::ValidateRelativePath(name);
  if (safe.ok() && !name.empty() && name.back() != '/') return Status::Ok();
  return InvalidArgument("module.yaml: name '" + name +
                         "' is not allowed: names may not hold empty, '.' or '..' segments");
}

Status CheckPath(const std::string& field, const std::string& path) {
  Status safe = artifacts::ValidateRelativePath(path);
  if (!safe.ok()) return InvalidArgument(field + ": " + safe.message());
  if (path.empty() || path.back() == '/') {
    return InvalidArgument(field + ": '" + path + "' is not a file path");
  }
  if (IsSkippedModulePath(path)) {
    return InvalidArgument(field + ": '" + path +
                           "' is hidden or in __pycache__, which module folders skip");
  }
  return Status::Ok();
}

// A path may not be a file and a folder at once ("a" and "a/b").
Status CheckNoClash(const std::set<std::string>& paths) {
  for (const std::string& path : paths) {
    for (size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      if (paths.count(path.substr(0, slash))) {
        return InvalidArgument("files: '" + path.substr(0, slash) + "' is both a file and the " +
                               "folder of '" + path + "'");
      }
    }
  }
  return Status::Ok();
}

Status CheckFiles(const std::string& manifest_text, const std::vector<ModuleFile>& files) {
  if (files.size() > kMaxModuleFiles) {
    return InvalidArgument("files: a module may have at most " + std::to_string(kMaxModuleFiles) +
                           " files, got " + std::to_string(files.size()));
  }
  std::set<std::string> paths;
  const ModuleFile* manifest_file = nullptr;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string field = "files[" + std::to_string(i) + "].path";
    KILN_RETURN_IF_ERROR(CheckPath(field, files[i].path));
    if (!paths.insert(files[i].path).second) {
      return InvalidArgument(field + ": duplicate path '" + files[i].path + "'");
    }
    if (files[i].path == "module.yaml") manifest_file = &files[i];
  }
  KILN_RETURN_IF_ERROR(CheckNoClash(paths));
  if (manifest_file == nullptr) {
    return InvalidArgument("files: module.yaml is missing; a module's files include its manifest");
  }
  if (manifest_file->bytes != manifest_text) {
    return InvalidArgument(
        "files: module.yaml differs from 'manifest'; send the same text in both");
  }
  return Status::Ok();
}

Status Conflict(const ModuleManifest& m) {
  return AlreadyExists("module " + m.name + "@" + m.version +
                       " is already published with different content; versions are immutable, "
                       "bump the version");
}

// OK with *exists set when name@version is stored with the same digest; kAlreadyExists when
// stored with another.
Status CheckExisting(store::Session& s, const ModuleManifest& m, bool* exists) {
  KILN_ASSIGN_OR_RETURN(store::Rows rows,
                        s.Query("SELECT files_digest FROM modules WHERE name = ? AND version = ?",
                                {m.name, m.version}));
  *exists = !rows.empty();
  if (*exists && rows[0].Text(0) != m.files_digest) return Conflict(m);
  return Status::Ok();
}

Status InsertModule(store::Session& s, const ModuleManifest& m, const std::string& text,
                    const std::vector<PublishedFile>& files, bool* created) {
  bool exists = false;
  KILN_RETURN_IF_ERROR(CheckExisting(s, m, &exists));
  if (exists) return Status::Ok();
  KILN_RETURN_IF_ERROR(
      s.Exec("INSERT INTO modules (name, version, description, manifest, files_digest, "
             "created_ms) VALUES (?, ?, ?, ?, ?, ?)",
             {m.name, m.version, m.description, text, m.files_digest, NowMillis()}));
  for (const PublishedFile& f : files) {
    KILN_RETURN_IF_ERROR(
        s.Exec("INSERT INTO module_files (name, version, path, digest, size, executable) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               {m.name, m.version, f.path, f.digest, f.size, int64_t{f.executable ? 1 : 0}}));
  }
  *created = true;
  return Status::Ok();
}

Result<std::vector<std::string>> ReadVersions(store::Session& s, const std::string& name) {
  KILN_ASSIGN_OR_RETURN(store::Rows rows,
                        s.Query("SELECT version FROM modules WHERE name = ?", {name}));
  if (rows.empty()) return NotFound("module '" + name + "' not found");
  std::vector<std::string> versions;
  for (const store::Row& row : rows) versions.push_back(row.Text(0));
  SortVersions(versions);
  return versions;
}

Status ReadFiles(store::Session& s, PublishedModule* out) {
  KILN_ASSIGN_OR_RETURN(
      store::Rows rows,
      s.Query("SELECT path, digest, size, executable FROM module_files WHERE name = ? AND "
              "version = ? ORDER BY path",
              {out->manifest.name, out->manifest.version}));
  for (const store::Row& r : rows) {
    out->files.push_back({r.Text(0), r.Text(1), r.Int(2), r.Int(3) != 0});
  }
  return Status::Ok();
}

Status ReadModule(store::Session& s, const std::string& name, const std::string& version,
                  PublishedModule* out) {
  KILN_ASSIGN_OR_RETURN(out->versions, ReadVersions(s, name));
  const bool latest = version.empty() || version == "latest";
  const std::string chosen = latest ? out->versions.back() : version;
  if (std::find(out->versions.begin(), out->versions.end(), chosen) == out->versions.end()) {
    return NotFound("module '" + name + "' has no version '" + version +
                    "' (versions: " + Join(out->versions) + ")");
  }
  KILN_ASSIGN_OR_RETURN(
      store::Rows rows,
      s.Query("SELECT manifest, files_digest, created_ms FROM modules WHERE name = ? AND "
              "version = ?",
              {name, chosen}));
  if (rows.empty()) return NotFound("module '" + name + "@" + chosen + "' not found");
  out->manifest_text = rows[0].Text(0);
  out->manifest.name = name;
  out->manifest.version = chosen;
  out->manifest.files_digest = rows[0].Text(1);
  out->created_ms = rows[0].Int(2);
  return ReadFiles(s, out);
}

// A stored manifest that no longer parses is a bug (or a parser change), not the caller's fault.
Result<ModuleManifest> ParseStored(const std::string& text, const std::string& files_digest) {
  Result<ModuleManifest> parsed = ParseModuleManifest(text, "module.yaml");
  if (!parsed.ok()) {
    return Internal("a published manifest no longer parses: " + parsed.status().message());
  }
  parsed->files_digest = files_digest;
  return parsed;
}

Status WriteFileSynced(const fs::path& path, const std::string& bytes, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Internal("cannot create '" + path.string() + "': " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = done == bytes.size() && ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok) return Internal("cannot write '" + path.string() + "': " + std::strerror(err));
  return Status::Ok();
}

Status WriteModuleFiles(const artifacts::ArtifactStore& store,
                        const std::vector<PublishedFile>& files, const fs::path& dir) {
  for (const PublishedFile& f : files) {
    std::error_code ec;
    fs::create_directories((dir / f.path).parent_path(), ec);
    if (ec) return Internal("cannot create a folder in '" + dir.string() + "': " + ec.message());
    KILN_ASSIGN_OR_RETURN(std::string bytes, store.GetBlob(f.digest));
    KILN_RETURN_IF_ERROR(WriteFileSynced(dir / f.path, bytes, f.executable ? 0755 : 0644));
  }
  return Status::Ok();
}

// Writes into a fresh temporary folder renamed into place: nobody sees half a module.
Status WriteFolderAtomically(const artifacts::ArtifactStore& store,
                             const std::vector<PublishedFile>& files, const fs::path& root,
                             const fs::path& target) {
  const fs::path tmp = root / (".tmp-" + NewHexId());
  Status written = WriteModuleFiles(store, files, tmp);
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  // Another thread or process may win the rename; its folder holds the same files.
  if (written.ok() && ::rename(tmp.c_str(), target.c_str()) != 0 && !fs::is_directory(target, ec)) {
    written = Internal("cannot rename '" + tmp.string() + "' to '" + target.string() +
                       "': " + std::strerror(errno));
  }
  fs::remove_all(tmp, ec);
  return written;
}

// "team/train" -> "team%2Ftrain": one folder per name, and no name nests inside another's.
std::string CacheName(const std::string& name) {
  std::string out;
  for (char c : name) out += c == '/' ? std::string("%2F") : std::string(1, c);
  return out;
}

}  // namespace

Result<PublishResult> PublishedModules::Publish(const std::string& manifest_text,
                                                const std::vector<ModuleFile>& files) {
  KILN_ASSIGN_OR_RETURN(ModuleManifest manifest, ParseModuleManifest(manifest_text, "module.yaml"));
  KILN_RETURN_IF_ERROR(CheckName(manifest.name));
  KILN_RETURN_IF_ERROR(CheckFiles(manifest_text, files));
  manifest.files_digest = ComputeFilesDigest(files);
  bool exists = false;
  // A republish of the same content is answered without storing any blob.
  KILN_RETURN_IF_ERROR(
      store_.Read([&](store::Session& s) { return CheckExisting(s, manifest, &exists); }));
  std::vector<PublishedFile> stored;
  for (size_t i = 0; i < files.size() && !exists; ++i) {
    KILN_ASSIGN_OR_RETURN(std::string digest, artifacts_.PutBlob(files[i].bytes));
    stored.push_back(
        {files[i].path, digest, static_cast<int64_t>(files[i].bytes.size()), files[i].executable});
  }
  bool created = false;
  KILN_RETURN_IF_ERROR(store_.Write([&](store::Session& s) {
    return InsertModule(s, manifest, manifest_text, stored, &created);
  }));
  KILN_ASSIGN_OR_RETURN(PublishedModule module, Get(manifest.name, manifest.version));
  return PublishResult{std::move(module), created};
}

Result<std::vector<ModuleSummary>> PublishedModules::List() const {
  store::Rows rows;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(
        rows, s.Query("SELECT name, version, description FROM modules ORDER BY name", {}));
    return Status::Ok();
  }));
  std::vector<ModuleSummary> out;
  for (const store::Row& row : rows) {
    if (out.empty() || out.back().name != row.Text(0)) out.push_back({row.Text(0), "", {}, ""});
    ModuleSummary& summary = out.back();
    summary.versions.push_back(row.Text(1));
    if (summary.latest_version.empty() ||
        CompareVersions(row.Text(1), summary.latest_version) > 0) {
      summary.latest_version = row.Text(1);
      summary.description = row.Text(2);
    }
  }
  for (ModuleSummary& summary : out) SortVersions(summary.versions);
  return out;
}

Result<PublishedModule> PublishedModules::Get(const std::string& name,
                                              const std::string& version) const {
  PublishedModule out;
  KILN_RETURN_IF_ERROR(
      store_.Read([&](store::Session& s) { return ReadModule(s, name, version, &out); }));
  KILN_ASSIGN_OR_RETURN(out.manifest, ParseStored(out.manifest_text, out.manifest.files_digest));
  return out;
}

Result<std::string> PublishedModules::Materialize(const std::string& name,
                                                  const std::string& version,
                                                  const std::string& cache_root) const {
  std::error_code ec;
  const fs::path root = fs::absolute(cache_root, ec);
  if (ec) return Internal("cannot resolve '" + cache_root + "': " + ec.message());
  if (CheckName(name).ok() && IsValidVersion(version)) {
    const fs::path target = root / CacheName(name) / version;
    if (fs::is_directory(target, ec)) return target.string();
  }
  KILN_ASSIGN_OR_RETURN(PublishedModule module, Get(name, version));
  const fs::path target = root / CacheName(name) / module.manifest.version;
  if (fs::is_directory(target, ec)) return target.string();
  KILN_RETURN_IF_ERROR(WriteFolderAtomically(artifacts_, module.files, root, target));
  return target.string();
}

Result<std::vector<ModuleManifest>> PublishedModules::LoadAll(const std::string& cache_root) const {
  store::Rows rows;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(rows, s.Query("SELECT name, version, manifest, files_digest FROM "
                                        "modules ORDER BY name, version",
                                        {}));
    return Status::Ok();
  }));
  std::vector<ModuleManifest> out;
  for (const store::Row& row : rows) {
    KILN_ASSIGN_OR_RETURN(ModuleManifest manifest, ParseStored(row.Text(2), row.Text(3)));
    if (!cache_root.empty()) {
      KILN_ASSIGN_OR_RETURN(manifest.source_dir, Materialize(row.Text(0), row.Text(1), cache_root));
    }
    out.push_back(std::move(manifest));
  }
  return out;
}

}  // namespace kiln::pipeline
