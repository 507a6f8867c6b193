#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "artifacts/artifact_store.h"
#include "artifacts/file_util.h"
#include "artifacts/path_safety.h"
#include "artifacts/sha256.h"

namespace kiln::artifacts {
namespace {

namespace fs = std::filesystem;

// True if `path` is `root` or below it; both must be canonical.
bool IsWithin(const fs::path& path, const fs::path& root) {
  auto [root_end, path_it] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

std::string StripTrailingSlash(std::string path) {
  if (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

// file_util's kNotFound and kFailedPrecondition messages name absolute server paths; clients
// get the artifact name instead. kInternal keeps its detail for operators.
Status Rephrase(const Status& status, const std::string& name) {
  if (status.code() == StatusCode::kNotFound) return NotFound(name + " not found");
  if (status.code() == StatusCode::kFailedPrecondition) {
    return InvalidArgument("cannot write " + name + ": a directory or file is in the way");
  }
  return status;
}

std::string ArtifactName(const std::string& path) { return "artifact " + QuotePath(path); }

class LocalArtifactStore final : public ArtifactStore {
 public:
  LocalArtifactStore(fs::path files, fs::path blobs, fs::path tmp)
      : files_(std::move(files)), blobs_(std::move(blobs)), tmp_(std::move(tmp)) {}

  Status Put(const std::string& path, const std::string& bytes,
             Sync sync = Sync::kDurable) override;
  Result<std::string> Locate(const std::string& path) const override;
  Result<std::string> Get(const std::string& path) const override;
  Result<std::vector<FileEntry>> List(const std::string& dir) const override;
  Status Delete(const std::string& path) override;
  Result<std::string> PutBlob(const std::string& bytes) override;
  Result<std::string> GetBlob(const std::string& digest) const override;
  Result<std::string> PutBlobFile(const std::string& file_path,
                                  Sync sync = Sync::kDurable) override;
  Result<std::string> LocateBlob(const std::string& digest) const override;
  Result<int64_t> AdoptBlobFile(const std::string& file_path, const std::string& digest) override;

 private:
  struct Resolved {
    std::string relative;  // validated, without a trailing '/'
    fs::path lexical;      // files_ / relative, symlinks not resolved
    fs::path canonical;    // with symlinks resolved; known to be inside files_
  };
  Result<Resolved> Resolve(const std::string& path) const;
  Result<Resolved> ResolveFile(const std::string& path) const;
  Status MakeParents(const std::string& relative) const;
  // Stores a blob under `digest` unless present; `write` creates the file at the given path.
  Status StoreBlob(const std::string& digest, Sync sync,
                   const std::function<Status(const std::string&)>& write);
  Result<std::optional<FileEntry>> ToEntry(const fs::directory_entry& entry,
                                           const std::string& prefix) const;

  const fs::path files_;  // canonical
  const fs::path blobs_;  // canonical, ends in "sha256"
  const fs::path tmp_;    // canonical, on the same filesystem as files_ and blobs_
};

// Validation alone cannot see symlinks planted inside the root (by an operator or another
// tool), so the resolved path is checked to still be under files_.
Result<LocalArtifactStore::Resolved> LocalArtifactStore::Resolve(const std::string& path) const {
  KILN_RETURN_IF_ERROR(ValidateRelativePath(path));
  Resolved r;
  r.relative = StripTrailingSlash(path);
  r.lexical = r.relative.empty() ? files_ : files_ / r.relative;
  std::error_code ec;
  r.canonical = fs::weakly_canonical(r.lexical, ec);
  if (ec == std::errc::filename_too_long) {
    return InvalidArgument("invalid artifact path " + QuotePath(path) + ": too long");
  }
  if (ec) return ErrnoStatus("cannot resolve", r.lexical.string(), ec.value());
  if (!IsWithin(r.canonical, files_)) {
    return InvalidArgument("invalid artifact path " + QuotePath(path) +
                           ": it resolves outside the artifact root");
  }
  return r;
}

Result<LocalArtifactStore::Resolved> LocalArtifactStore::ResolveFile(
    const std::string& path) const {
  if (path.empty()) return InvalidArgument("invalid artifact path '': a file path is required");
  if (path.back() == '/') {
    return InvalidArgument("invalid artifact path " + QuotePath(path) +
                           ": a file path must not end with '/'");
  }
  return Resolve(path);
}

// Creates each missing directory of `relative`'s parent chain and fsyncs the directory that
// gained the entry, so a durable file never hangs off a directory lost in a crash.
Status LocalArtifactStore::MakeParents(const std::string& relative) const {
  fs::path dir = files_;
  fs::path prefix;
  for (const fs::path& segment : fs::path(relative).parent_path()) {
    prefix /= segment;
    Result<bool> created = MakeDirectory((dir / segment).string());
    if (!created.ok() && created.status().code() == StatusCode::kFailedPrecondition) {
      return InvalidArgument("cannot write " + ArtifactName(relative) + ": " +
                             QuotePath(prefix.string()) + " is not a directory");
    }
    if (!created.ok()) return created.status();
    if (*created) KILN_RETURN_IF_ERROR(SyncDirectory(dir.string()));
    dir /= segment;
  }
  return Status::Ok();
}

Status LocalArtifactStore::Put(const std::string& path, const std::string& bytes, Sync sync) {
  KILN_ASSIGN_OR_RETURN(Resolved r, ResolveFile(path));
  KILN_RETURN_IF_ERROR(MakeParents(r.relative));
  std::error_code ec;
  if (fs::is_directory(r.lexical, ec)) {
    return InvalidArgument("cannot write " + ArtifactName(path) + ": it is a directory");
  }
  return Rephrase(
      WriteFileDurably(tmp_.string(), r.lexical.string(), bytes, sync == Sync::kDurable),
      ArtifactName(path));
}

Result<std::string> LocalArtifactStore::Locate(const std::string& path) const {
  KILN_ASSIGN_OR_RETURN(Resolved r, ResolveFile(path));
  std::error_code ec;
  if (!fs::is_regular_file(r.canonical, ec)) {
    return NotFound(ArtifactName(path) + " not found");
  }
  return r.canonical.string();
}

Result<std::string> LocalArtifactStore::Get(const std::string& path) const {
  KILN_ASSIGN_OR_RETURN(Resolved r, ResolveFile(path));
  Result<std::string> bytes = ReadWholeFile(r.canonical.string());
  if (!bytes.ok()) return Rephrase(bytes.status(), ArtifactName(path));
  return bytes;
}

// Symlinks and special files are left out: the store never creates them, and following a
// symlink here would report sizes of files outside the root.
Result<std::optional<FileEntry>> LocalArtifactStore::ToEntry(const fs::directory_entry& entry,
                                                             const std::string& prefix) const {
  std::error_code ec;
  fs::file_status st = entry.symlink_status(ec);
  if (ec) return ErrnoStatus("cannot stat", entry.path().string(), ec.value());
  FileEntry out;
  out.path = prefix + entry.path().filename().string();
  if (fs::is_directory(st)) {
    out.is_dir = true;
    return std::optional<FileEntry>(std::move(out));
  }
  if (!fs::is_regular_file(st)) return std::optional<FileEntry>();
  uintmax_t size = entry.file_size(ec);
  if (ec) return ErrnoStatus("cannot stat", entry.path().string(), ec.value());
  out.size = static_cast<int64_t>(size);
  return std::optional<FileEntry>(std::move(out));
}

Result<std::vector<FileEntry>> LocalArtifactStore::List(const std::string& dir) const {
  KILN_ASSIGN_OR_RETURN(Resolved r, Resolve(dir));
  std::vector<FileEntry> entries;
  std::error_code ec;
  if (!fs::is_directory(r.canonical, ec)) return entries;  // missing, or a file (as MLflow)
  fs::directory_iterator it(r.canonical, ec);
  std::string prefix = r.relative.empty() ? "" : r.relative + "/";
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    KILN_ASSIGN_OR_RETURN(std::optional<FileEntry> entry, ToEntry(*it, prefix));
    if (entry) entries.push_back(std::move(*entry));
  }
  if (ec) return ErrnoStatus("cannot list", r.canonical.string(), ec.value());
  std::sort(entries.begin(), entries.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  return entries;
}

Status LocalArtifactStore::Delete(const std::string& path) {
  if (path.empty()) return InvalidArgument("invalid artifact path '': cannot delete the root");
  KILN_ASSIGN_OR_RETURN(Resolved r, Resolve(path));
  std::error_code ec;
  // symlink_status and remove_all act on a symlink itself, never on what it points to.
  if (!fs::exists(fs::symlink_status(r.lexical, ec))) {
    return NotFound(ArtifactName(path) + " not found");
  }
  fs::remove_all(r.lexical, ec);
  if (ec) return ErrnoStatus("cannot delete", r.lexical.string(), ec.value());
  return SyncDirectory(r.lexical.parent_path().string());
}

Result<std::string> LocalArtifactStore::PutBlob(const std::string& bytes) {
  std::string digest = Sha256Hex(bytes);
  if (digest.size() != 64) return Internal("SHA-256 computation failed");
  KILN_RETURN_IF_ERROR(StoreBlob(digest, Sync::kDurable, [&](const std::string& dest) {
    return WriteFileDurably(tmp_.string(), dest, bytes);
  }));
  return digest;
}

Result<std::string> LocalArtifactStore::PutBlobFile(const std::string& file_path, Sync sync) {
  KILN_ASSIGN_OR_RETURN(std::string digest, Sha256OfFile(file_path));
  if (digest.size() != 64) return Internal("SHA-256 computation failed");
  KILN_RETURN_IF_ERROR(StoreBlob(digest, sync, [&](const std::string& dest) {
    return CopyFileDurably(tmp_.string(), file_path, dest, sync == Sync::kDurable);
  }));
  return digest;
}

Status LocalArtifactStore::StoreBlob(const std::string& digest, Sync sync,
                                     const std::function<Status(const std::string&)>& write) {
  fs::path dir = blobs_ / digest.substr(0, 2);
  fs::path dest = dir / digest;
  std::error_code ec;
  const bool durable = sync == Sync::kDurable;
  if (fs::is_regular_file(dest, ec)) {
    // Same digest, same bytes. The fsync covers a concurrent writer that renamed the blob
    // in but has not yet made the rename durable.
    return durable ? SyncDirectory(dir.string()) : Status::Ok();
  }
  Result<bool> created = MakeDirectory(dir.string());
  if (!created.ok()) return created.status();
  if (*created && durable) KILN_RETURN_IF_ERROR(SyncDirectory(blobs_.string()));
  return write(dest.string());
}

Result<int64_t> LocalArtifactStore::AdoptBlobFile(const std::string& file_path,
                                                  const std::string& digest) {
  KILN_RETURN_IF_ERROR(ValidateDigest(digest));
  KILN_ASSIGN_OR_RETURN(std::string actual, Sha256OfFile(file_path));
  if (actual != digest) {
    return InvalidArgument("the content's SHA-256 is " + actual + ", not " + digest);
  }
  std::error_code ec;
  const auto size = static_cast<int64_t>(fs::file_size(file_path, ec));
  if (ec) return ErrnoStatus("cannot stat", file_path, ec.value());
  KILN_RETURN_IF_ERROR(StoreBlob(digest, Sync::kDurable, [&](const std::string& dest) {
    return MoveFileDurably(file_path, dest);
  }));
  return size;
}

Result<std::string> LocalArtifactStore::LocateBlob(const std::string& digest) const {
  KILN_RETURN_IF_ERROR(ValidateDigest(digest));
  fs::path path = blobs_ / digest.substr(0, 2) / digest;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return NotFound("blob " + digest + " not found");
  return path.string();
}

Result<std::string> LocalArtifactStore::GetBlob(const std::string& digest) const {
  KILN_RETURN_IF_ERROR(ValidateDigest(digest));
  Result<std::string> bytes = ReadWholeFile((blobs_ / digest.substr(0, 2) / digest).string());
  if (!bytes.ok()) return Rephrase(bytes.status(), "blob " + digest);
  return bytes;
}

Result<fs::path> MakeCanonicalDir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return ErrnoStatus("cannot create artifact directory", dir.string(), ec.value());
  fs::path canonical = fs::canonical(dir, ec);
  if (ec) return ErrnoStatus("cannot resolve artifact directory", dir.string(), ec.value());
  return canonical;
}

}  // namespace

Result<std::unique_ptr<ArtifactStore>> OpenLocalArtifactStore(const std::string& root) {
  if (root.empty()) return Internal("artifact root is empty");
  fs::path base(root);
  KILN_ASSIGN_OR_RETURN(fs::path files, MakeCanonicalDir(base / "files"));
  KILN_ASSIGN_OR_RETURN(fs::path blobs, MakeCanonicalDir(base / "blobs" / "sha256"));
  KILN_ASSIGN_OR_RETURN(fs::path tmp, MakeCanonicalDir(base / "tmp"));
  return std::unique_ptr<ArtifactStore>(
      std::make_unique<LocalArtifactStore>(std::move(files), std::move(blobs), std::move(tmp)));
}

}  // namespace kiln::artifacts
