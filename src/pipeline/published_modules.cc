#include "pipeline/published_modules.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "artifacts/file_list.h"
#include "artifacts/tree_folder.h"
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
  if (artifacts::ValidateFilePath(name).ok()) return Status::Ok();
  return InvalidArgument("module.yaml: name '" + name +
                         "' is not allowed: names may not hold empty, '.' or '..' segments");
}

Status CheckFiles(const std::string& manifest_text, const std::vector<ModuleFile>& files) {
  std::vector<artifacts::FileListItem> items;
  for (const ModuleFile& f : files) {
    items.push_back({f.path, static_cast<int64_t>(f.bytes.size())});
  }
  artifacts::FileListLimits limits;
  limits.max_files = kMaxModuleFiles;
  KILN_RETURN_IF_ERROR(artifacts::ValidateFileList(items, "files[].path", limits));
  const ModuleFile* manifest_file = nullptr;
  for (size_t i = 0; i < files.size(); ++i) {
    if (IsSkippedModulePath(files[i].path)) {
      return InvalidArgument("files[" + std::to_string(i) + "].path: '" + files[i].path +
                             "' is hidden or in __pycache__, which module folders skip");
    }
    if (files[i].path == "module.yaml") manifest_file = &files[i];
  }
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
// ...and kAlreadyExists for a yanked one, whatever its content: its number is never reused.
Status CheckExisting(store::Session& s, const ModuleManifest& m, bool* exists) {
  KILN_ASSIGN_OR_RETURN(
      store::Rows rows,
      s.Query("SELECT files_digest, yanked_ms FROM modules WHERE name = ? AND version = ?",
              {m.name, m.version}));
  *exists = !rows.empty();
  if (*exists && !rows[0].IsNull(1)) {
    return AlreadyExists("module " + m.name + "@" + m.version +
                         " was yanked; a yanked version is never published again: bump the "
                         "version");
  }
  if (*exists && rows[0].Text(0) != m.files_digest) return Conflict(m);
  return Status::Ok();
}

// A published name@version that a folder layer (KILN_MODULE_PATH, the standard library) has
// with other files would make that name@version unusable for every pipeline.
Status CheckFolderLayers(const ModuleManifest& m, const std::vector<ModuleFolderLayer>& layers) {
  for (const ModuleFolderLayer& layer : layers) {
    Result<std::vector<ModuleManifest>> found = ScanModuleRoot(layer.dir);
    if (!found.ok()) {
      // The scan's message names the layer's folder: for the server's log, not the client.
      spdlog::warn("the {} does not load: {}", layer.origin, found.status().message());
      return FailedPrecondition("cannot check module " + m.name + "@" + m.version +
                                " against the " + layer.origin +
                                ", which does not load (the server log says why)");
    }
    for (const ModuleManifest& f : *found) {
      if (f.name != m.name || f.version != m.version || f.files_digest == m.files_digest) continue;
      return AlreadyExists("module " + m.name + "@" + m.version + " is provided by the " +
                           layer.origin +
                           " with different files; a published module may not give a "
                           "name@version of the " +
                           layer.origin + " other content: choose another name or version");
    }
  }
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
  KILN_ASSIGN_OR_RETURN(
      store::Rows rows,
      s.Query("SELECT version FROM modules WHERE name = ? AND yanked_ms IS NULL", {name}));
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

Status YankedIn(store::Session& s, const std::string& name, const std::string& version) {
  KILN_ASSIGN_OR_RETURN(
      store::Rows rows,
      s.Query("SELECT 1 FROM modules WHERE name = ? AND version = ? AND yanked_ms IS NOT NULL",
              {name, version}));
  if (rows.empty()) return Status::Ok();
  return NotFound("module " + name + "@" + version + " was yanked and can no longer be used");
}

Status ReadModule(store::Session& s, const std::string& name, const std::string& version,
                  PublishedModule* out) {
  KILN_RETURN_IF_ERROR(YankedIn(s, name, version));
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

// The stored rows are checked again before anything is written: a row edited in the database
// (or one published before the checks existed) must not write outside the module's folder.
Status WriteFolderAtomically(const artifacts::ArtifactStore& store,
                             const std::vector<PublishedFile>& files, const fs::path& root,
                             const fs::path& target) {
  std::vector<artifacts::TreeEntry> entries;
  for (const PublishedFile& f : files) entries.push_back({f.path, f.digest, f.size, f.executable});
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) return Internal("cannot create the module cache folder: " + ec.message());
  const fs::path tmp = root / (".tmp-" + NewHexId());
  KILN_RETURN_IF_ERROR(artifacts::WriteTreeFolder(
      store, entries, tmp.string(), {.file = 0644, .executable = 0755, .fsync = true}));
  Status renamed = Status::Ok();
  // Another thread or process may win the rename; its folder holds the same files.
  if (::rename(tmp.c_str(), target.c_str()) != 0 && !fs::is_directory(target, ec)) {
    renamed =
        Internal("cannot rename a module folder into place: " + std::string(std::strerror(errno)));
  }
  fs::remove_all(tmp, ec);
  return renamed;
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
  if (folder_layers_) KILN_RETURN_IF_ERROR(CheckFolderLayers(manifest, folder_layers_()));
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
        rows, s.Query("SELECT name, version, description FROM modules WHERE yanked_ms IS NULL "
                      "ORDER BY name",
                      {}));
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
    KILN_ASSIGN_OR_RETURN(rows, s.Query("SELECT name, version, manifest, files_digest, yanked_ms "
                                        "FROM modules ORDER BY name, version",
                                        {}));
    return Status::Ok();
  }));
  std::vector<ModuleManifest> out;
  for (const store::Row& row : rows) {
    KILN_ASSIGN_OR_RETURN(ModuleManifest manifest, ParseStored(row.Text(2), row.Text(3)));
    const std::string id = row.Text(0) + "@" + row.Text(1);
    if (!row.IsNull(4)) {
      manifest.unusable = "module " + id +
                          " was yanked from the published modules and can no longer be used: "
                          "pick another version";
    } else if (!cache_root.empty()) {
      // One module whose files cannot be written out must not stop every other pipeline.
      Result<std::string> dir = Materialize(row.Text(0), row.Text(1), cache_root);
      if (dir.ok()) {
        manifest.source_dir = *dir;
      } else {
        manifest.unusable =
            "module " + id +
            " cannot be used: its published files cannot be written out: " + dir.status().message();
      }
    }
    out.push_back(std::move(manifest));
  }
  return out;
}

Status PublishedModules::CheckNotYanked(const std::string& name, const std::string& version) const {
  return store_.Read([&](store::Session& s) { return YankedIn(s, name, version); });
}

Result<YankResult> PublishedModules::Yank(const std::string& name, const std::string& version) {
  if (!IsValidVersion(version)) {
    return InvalidArgument("version: '" + version +
                           "' is not a version (give the exact MAJOR.MINOR.PATCH to yank)");
  }
  YankResult out{name, version, false, 0};
  KILN_RETURN_IF_ERROR(store_.Write([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(
        store::Rows rows,
        s.Query("SELECT yanked_ms FROM modules WHERE name = ? AND version = ?", {name, version}));
    if (rows.empty()) return NotFound("module " + name + "@" + version + " is not published");
    if (!rows[0].IsNull(0)) {
      out.yanked_ms = rows[0].Int(0);
      return Status::Ok();
    }
    out.yanked_ms = NowMillis();
    out.yanked_now = true;
    return s.Exec("UPDATE modules SET yanked_ms = ? WHERE name = ? AND version = ?",
                  {out.yanked_ms, name, version});
  }));
  return out;
}

}  // namespace kiln::pipeline
