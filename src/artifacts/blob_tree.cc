#include "artifacts/blob_tree.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <system_error>

#include "artifacts/file_util.h"
#include "artifacts/path_safety.h"
#include "artifacts/tree_folder.h"

namespace kiln::artifacts {
namespace fs = std::filesystem;
namespace {

constexpr char kTreeHeader[] = "kiln-tree-v1\n";

Result<TreeEntry> StoreEntry(ArtifactStore& store, const fs::directory_entry& entry,
                             const fs::path& root, Sync sync) {
  std::string relative = fs::relative(entry.path(), root).generic_string();
  std::error_code ec;
  fs::file_status status = entry.symlink_status(ec);
  if (ec || !fs::is_regular_file(status)) {
    return InvalidArgument("'" + entry.path().string() +
                           "' is not a regular file or folder (symlinks are not stored)");
  }
  KILN_ASSIGN_OR_RETURN(std::string digest, store.PutBlobFile(entry.path().string(), sync));
  const bool executable = (status.permissions() & fs::perms::owner_exec) != fs::perms::none;
  return TreeEntry{relative, digest, static_cast<int64_t>(entry.file_size(ec)), executable};
}

std::string EncodeTree(const std::vector<TreeEntry>& entries) {
  std::string text = kTreeHeader;
  for (const TreeEntry& e : entries) {
    text += e.path + '\t' + e.digest + '\t' + std::to_string(e.size) + '\t' +
            (e.executable ? "x" : "-") + '\n';
  }
  return text;
}

// Sizes are plain decimal digits; anything else (a sign, spaces, overflow) is malformed.
bool ParseSize(const std::string& text, int64_t* size) {
  if (text.empty() || text.size() > 18) return false;
  *size = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    *size = *size * 10 + (c - '0');
  }
  return true;
}

Result<TreeEntry> DecodeLine(const std::string& line, size_t index) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
  TreeEntry entry;
  if (fields.size() != 4 || !ParseSize(fields[2], &entry.size) ||
      (fields[3] != "x" && fields[3] != "-")) {
    return InvalidArgument("folder manifest line " + std::to_string(index + 2) +
                           " is malformed: " + QuotePath(line.substr(0, 200)));
  }
  entry.path = std::move(fields[0]);
  entry.digest = std::move(fields[1]);
  entry.executable = fields[3] == "x";
  return entry;
}

void SortByPath(std::vector<TreeEntry>& entries) {
  std::sort(entries.begin(), entries.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
}

}  // namespace

Status ValidateTreeEntries(const std::vector<TreeEntry>& entries, std::string_view field,
                           const FileListLimits& limits) {
  std::vector<FileListItem> items;
  items.reserve(entries.size());
  for (const TreeEntry& e : entries) items.push_back({e.path, e.size});
  KILN_RETURN_IF_ERROR(ValidateFileList(items, field, limits));
  for (size_t i = 0; i < entries.size(); ++i) {
    Status digest_ok = ValidateDigest(entries[i].digest);
    if (!digest_ok.ok()) {
      return InvalidArgument(std::string(field.substr(0, field.find('['))) + "[" +
                             std::to_string(i) + "] " + QuotePath(entries[i].path) + ": " +
                             digest_ok.message());
    }
  }
  return Status::Ok();
}

Result<std::string> PutTree(ArtifactStore& store, const std::string& dir, Sync sync) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return NotFound("no folder '" + dir + "'");
  std::vector<TreeEntry> entries;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) continue;
    KILN_ASSIGN_OR_RETURN(TreeEntry entry, StoreEntry(store, *it, dir, sync));
    entries.push_back(std::move(entry));
  }
  if (ec) return ErrnoStatus("cannot list", dir, ec.value());
  SortByPath(entries);
  // A name with a tab or newline would corrupt the manifest; such a folder cannot be stored.
  Status safe = ValidateTreeEntries(entries, "files[]");
  if (!safe.ok())
    return InvalidArgument("folder '" + dir + "' cannot be stored: " + safe.message());
  return store.PutBlob(EncodeTree(entries));
}

Result<std::string> PutTreeOfBlobs(ArtifactStore& store, std::vector<TreeEntry> entries) {
  KILN_RETURN_IF_ERROR(ValidateTreeEntries(entries, "files[]"));
  SortByPath(entries);
  for (const TreeEntry& e : entries) {
    Result<std::string> blob = store.LocateBlob(e.digest);
    if (!blob.ok()) {
      if (blob.status().code() != StatusCode::kNotFound) return blob.status();
      return NotFound("file " + QuotePath(e.path) + ": blob " + e.digest + " is not stored");
    }
    std::error_code ec;
    if (static_cast<int64_t>(fs::file_size(*blob, ec)) != e.size) {
      return InvalidArgument("file " + QuotePath(e.path) + ": size " + std::to_string(e.size) +
                             " does not match its blob's");
    }
  }
  return store.PutBlob(EncodeTree(entries));
}

Result<std::vector<TreeEntry>> ReadTree(const ArtifactStore& store, const std::string& digest) {
  KILN_ASSIGN_OR_RETURN(std::string path, store.LocateBlob(digest));
  std::error_code ec;
  const auto size = static_cast<int64_t>(fs::file_size(path, ec));
  if (!ec && size > kMaxTreeManifestBytes) {
    return InvalidArgument("blob " + digest + " is too large to be a folder manifest");
  }
  KILN_ASSIGN_OR_RETURN(std::string text, store.GetBlob(digest));
  if (text.rfind(kTreeHeader, 0) != 0) return InvalidArgument("blob " + digest + " is no tree");
  return ParseTreeManifest(text);
}

Result<std::vector<TreeEntry>> ParseTreeManifest(const std::string& text) {
  if (text.rfind(kTreeHeader, 0) != 0) return InvalidArgument("not a folder manifest");
  std::vector<TreeEntry> entries;
  std::stringstream in(text.substr(sizeof(kTreeHeader) - 1));
  for (std::string line; std::getline(in, line);) {
    KILN_ASSIGN_OR_RETURN(TreeEntry entry, DecodeLine(line, entries.size()));
    entries.push_back(std::move(entry));
  }
  Status safe = ValidateTreeEntries(entries, "files[]");
  if (!safe.ok()) return InvalidArgument("unsafe folder manifest: " + safe.message());
  return entries;
}

Result<std::string> MaterializeTree(const ArtifactStore& store, const std::string& digest,
                                    const std::string& cache_root) {
  // Before any path is built from it: "/abs" would replace the root, ".." leave it.
  KILN_RETURN_IF_ERROR(ValidateDigest(digest));
  fs::path final_dir = fs::path(cache_root) / digest;
  std::error_code ec;
  if (fs::is_directory(final_dir, ec)) return final_dir.string();
  KILN_ASSIGN_OR_RETURN(std::vector<TreeEntry> entries, ReadTree(store, digest));
  fs::create_directories(cache_root, ec);
  if (ec) return ErrnoStatus("cannot create directory", cache_root, ec.value());
  static std::atomic<uint64_t> counter{0};
  const fs::path tmp = fs::path(cache_root) / (".tmp-" + digest + "-" + std::to_string(::getpid()) +
                                               "-" + std::to_string(counter++));
  KILN_RETURN_IF_ERROR(WriteTreeFolder(store, entries, tmp.string()));
  Status renamed = Status::Ok();
  // Another thread or process may have won the race; its folder is identical.
  if (::rename(tmp.c_str(), final_dir.c_str()) != 0 && !fs::is_directory(final_dir, ec)) {
    renamed = ErrnoStatus("cannot rename to", final_dir.string(), errno);
  }
  fs::remove_all(tmp, ec);
  KILN_RETURN_IF_ERROR(renamed);
  return final_dir.string();
}

}  // namespace kiln::artifacts
