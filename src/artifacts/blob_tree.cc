#include "artifacts/blob_tree.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <system_error>

#include "artifacts/file_util.h"

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

Result<TreeEntry> DecodeLine(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
  if (fields.size() != 4) return InvalidArgument("malformed tree line '" + line + "'");
  return TreeEntry{fields[0], fields[1], std::strtoll(fields[2].c_str(), nullptr, 10),
                   fields[3] == "x"};
}

Status CopyTreeInto(const ArtifactStore& store, const std::vector<TreeEntry>& entries,
                    const fs::path& dir) {
  for (const TreeEntry& e : entries) {
    fs::path dest = dir / e.path;
    std::error_code ec;
    fs::create_directories(dest.parent_path(), ec);
    if (ec) return ErrnoStatus("cannot create directory", dest.parent_path(), ec.value());
    KILN_ASSIGN_OR_RETURN(std::string blob, store.LocateBlob(e.digest));
    fs::copy_file(blob, dest, ec);
    if (ec) return ErrnoStatus("cannot copy blob to", dest.string(), ec.value());
    ::chmod(dest.c_str(), e.executable ? 0555 : 0444);
  }
  return Status::Ok();
}

}  // namespace

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
  std::sort(entries.begin(), entries.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
  return store.PutBlob(EncodeTree(entries));
}

Result<std::string> PutTreeOfBlobs(ArtifactStore& store, std::vector<TreeEntry> entries) {
  std::sort(entries.begin(), entries.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
  for (size_t i = 0; i < entries.size(); ++i) {
    const TreeEntry& e = entries[i];
    Status path_ok = ValidateRelativePath(e.path);
    if (!path_ok.ok() || e.path.empty() || e.path.back() == '/') {
      return InvalidArgument("bad file path '" + e.path + "' in folder");
    }
    if (i > 0 && entries[i - 1].path == e.path) {
      return InvalidArgument("file path '" + e.path + "' appears twice");
    }
    if (e.size < 0) return InvalidArgument("file '" + e.path + "' has a negative size");
    Result<std::string> blob = store.LocateBlob(e.digest);
    if (!blob.ok()) {
      if (blob.status().code() != StatusCode::kNotFound) {
        return InvalidArgument("file '" + e.path + "': " + blob.status().message());
      }
      return NotFound("file '" + e.path + "': blob " + e.digest + " is not stored");
    }
    std::error_code ec;
    if (static_cast<int64_t>(fs::file_size(*blob, ec)) != e.size) {
      return InvalidArgument("file '" + e.path + "': size " + std::to_string(e.size) +
                             " does not match its blob's");
    }
  }
  return store.PutBlob(EncodeTree(entries));
}

Result<std::vector<TreeEntry>> ReadTree(const ArtifactStore& store, const std::string& digest) {
  KILN_ASSIGN_OR_RETURN(std::string text, store.GetBlob(digest));
  if (text.rfind(kTreeHeader, 0) != 0) return InvalidArgument("blob " + digest + " is no tree");
  return ParseTreeManifest(text);
}

Result<std::vector<TreeEntry>> ParseTreeManifest(const std::string& text) {
  if (text.rfind(kTreeHeader, 0) != 0) return InvalidArgument("not a folder manifest");
  std::vector<TreeEntry> entries;
  std::stringstream in(text.substr(sizeof(kTreeHeader) - 1));
  for (std::string line; std::getline(in, line);) {
    KILN_ASSIGN_OR_RETURN(TreeEntry entry, DecodeLine(line));
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::string> MaterializeTree(const ArtifactStore& store, const std::string& digest,
                                    const std::string& cache_root) {
  fs::path final_dir = fs::path(cache_root) / digest;
  std::error_code ec;
  if (fs::is_directory(final_dir, ec)) return final_dir.string();
  KILN_ASSIGN_OR_RETURN(std::vector<TreeEntry> entries, ReadTree(store, digest));
  fs::path tmp = fs::path(cache_root) / (".tmp-" + digest + "-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(reinterpret_cast<uintptr_t>(&entries)));
  fs::create_directories(tmp, ec);
  if (ec) return ErrnoStatus("cannot create directory", tmp.string(), ec.value());
  Status copied = CopyTreeInto(store, entries, tmp);
  // Another thread or process may have won the race; its folder is identical.
  if (copied.ok() && ::rename(tmp.c_str(), final_dir.c_str()) != 0 &&
      !fs::is_directory(final_dir, ec)) {
    copied = ErrnoStatus("cannot rename to", final_dir.string(), errno);
  }
  fs::remove_all(tmp, ec);
  KILN_RETURN_IF_ERROR(copied);
  return final_dir.string();
}

}  // namespace kiln::artifacts
