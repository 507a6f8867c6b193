#include "artifacts/blob_uploads.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <utility>

#include "artifacts/file_util.h"

namespace kiln::artifacts {
namespace {

Status Busy(const std::string& digest) {
  return Unavailable("another request is writing the upload of blob " + digest + "; retry");
}

// A staging file opened and exclusively flock'ed; the lock goes with the descriptor.
class LockedFile {
 public:
  // Opens and locks `path`. Empty when `create` is false and there is no file. The lock is
  // taken without waiting (kUnavailable when held). A file that Finish or Discard removed
  // between our open and our lock is let go, and whatever the path names now is opened.
  static Result<std::optional<LockedFile>> Open(const std::string& path, bool create,
                                                const std::string& digest);
  LockedFile(LockedFile&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}
  LockedFile& operator=(LockedFile&&) = delete;
  ~LockedFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  const std::string& path() const { return path_; }
  Result<int64_t> Size() const;
  // Writes `bytes` at `offset`; on failure the file is cut back to `offset`.
  Status WriteAt(int64_t offset, std::string_view bytes);
  // Removes the path if it still names this file.
  Status Unlink();

 private:
  LockedFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  bool StillLinked() const;

  int fd_;
  std::string path_;
};

Result<std::optional<LockedFile>> LockedFile::Open(const std::string& path, bool create,
                                                   const std::string& digest) {
  // Bounded: each retry means another request finished this upload in between.
  for (int attempt = 0; attempt < 5; ++attempt) {
    // O_NOFOLLOW: a symlink planted in the staging folder must not redirect writes.
    int flags = O_RDWR | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT : 0);
    int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0 && errno == ENOENT && !create) return std::optional<LockedFile>();
    if (fd < 0) return ErrnoStatus("cannot open", path, errno);
    LockedFile file(fd, path);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) return Busy(digest);
      return ErrnoStatus("cannot lock", path, errno);
    }
    if (file.StillLinked()) return std::optional<LockedFile>(std::move(file));
  }
  return Busy(digest);
}

bool LockedFile::StillLinked() const {
  struct stat open_st, path_st;
  if (::fstat(fd_, &open_st) != 0 || ::lstat(path_.c_str(), &path_st) != 0) return false;
  return open_st.st_ino == path_st.st_ino && open_st.st_dev == path_st.st_dev &&
         S_ISREG(open_st.st_mode);
}

Result<int64_t> LockedFile::Size() const {
  struct stat st;
  if (::fstat(fd_, &st) != 0) return ErrnoStatus("cannot stat", path_, errno);
  return static_cast<int64_t>(st.st_size);
}

Status LockedFile::WriteAt(int64_t offset, std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done,
                         static_cast<off_t>(offset + static_cast<int64_t>(done)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status failed = ErrnoStatus("cannot write", path_, errno);
      // Nothing half-appended: the client resumes from the size it was told.
      if (::ftruncate(fd_, static_cast<off_t>(offset)) != 0) {
        return ErrnoStatus("cannot cut back after a failed write", path_, errno);
      }
      return failed;
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status LockedFile::Unlink() {
  if (!StillLinked()) return Status::Ok();
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT) {
    return ErrnoStatus("cannot delete", path_, errno);
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<BlobUploads>> BlobUploads::Open(ArtifactStore& store,
                                                       const std::string& staging_dir) {
  KILN_ASSIGN_OR_RETURN(bool created, MakeDirectory(staging_dir));
  (void)created;
  return std::unique_ptr<BlobUploads>(new BlobUploads(store, staging_dir));
}

std::string BlobUploads::StagingPath(const std::string& digest) const {
  return staging_dir_ + "/" + digest;  // a validated digest: 64 hex characters, no '/'
}

Result<UploadState> BlobUploads::StoredState(const std::string& digest) const {
  Result<std::string> blob = store_.LocateBlob(digest);
  if (!blob.ok() && blob.status().code() == StatusCode::kNotFound) return UploadState{};
  if (!blob.ok()) return blob.status();
  struct stat st;
  if (::stat(blob->c_str(), &st) != 0) return ErrnoStatus("cannot stat", *blob, errno);
  return UploadState{static_cast<int64_t>(st.st_size), true};
}

Result<UploadState> BlobUploads::State(const std::string& digest) const {
  KILN_RETURN_IF_ERROR(ValidateDigest(digest));
  KILN_ASSIGN_OR_RETURN(UploadState stored, StoredState(digest));
  if (stored.stored) return stored;
  struct stat st;
  const std::string path = StagingPath(digest);
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return UploadState{};
    return ErrnoStatus("cannot stat", path, errno);
  }
  return UploadState{S_ISREG(st.st_mode) ? static_cast<int64_t>(st.st_size) : 0, false};
}

Result<AppendOutcome> BlobUploads::Append(const std::string& digest, int64_t offset,
                                          std::string_view bytes) {
  KILN_RETURN_IF_ERROR(ValidateDigest(digest));
  if (offset < 0) return InvalidArgument("offset must be 0 or more, not " + std::to_string(offset));
  KILN_ASSIGN_OR_RETURN(std::optional<LockedFile> file,
                        LockedFile::Open(StagingPath(digest), /*create=*/true, digest));
  // Checked under the lock, so a concurrent Finish is either complete or not begun.
  KILN_ASSIGN_OR_RETURN(UploadState stored, StoredState(digest));
  if (stored.stored) {
    KILN_RETURN_IF_ERROR(file->Unlink());
    return AppendOutcome{true, stored};
  }
  KILN_ASSIGN_OR_RETURN(int64_t size, file->Size());
  if (size != offset) return AppendOutcome{false, UploadState{size, false}};
  KILN_RETURN_IF_ERROR(file->WriteAt(offset, bytes));
  return AppendOutcome{true, UploadState{offset + static_cast<int64_t>(bytes.size()), false}};
}

Result<int64_t> BlobUploads::Finish(const std::string& digest) {
  KILN_RETURN_IF_ERROR(ValidateDigest(digest));
  KILN_ASSIGN_OR_RETURN(std::optional<LockedFile> file,
                        LockedFile::Open(StagingPath(digest), /*create=*/false, digest));
  // A missing staging file may have just been moved into the store by another Finish.
  KILN_ASSIGN_OR_RETURN(UploadState stored, StoredState(digest));
  if (stored.stored) {
    if (file) KILN_RETURN_IF_ERROR(file->Unlink());
    return stored.received;
  }
  if (!file) {
    return NotFound("no upload of blob " + digest +
                    " is staged; send its bytes with PATCH .../upload?offset=0 first");
  }
  KILN_ASSIGN_OR_RETURN(int64_t staged, file->Size());
  Result<int64_t> adopted = store_.AdoptBlobFile(file->path(), digest);
  if (!adopted.ok() && adopted.status().code() != StatusCode::kInvalidArgument) return adopted;
  // Moved into the store (then this is a no-op), stored meanwhile by a PUT, or mismatching.
  KILN_RETURN_IF_ERROR(file->Unlink());
  if (adopted.ok()) return adopted;
  return InvalidArgument("the upload of blob " + digest +
                         " does not match its digest: " + adopted.status().message() + "; the " +
                         std::to_string(staged) + " staged bytes were discarded");
}

Result<bool> BlobUploads::Discard(const std::string& digest) {
  KILN_RETURN_IF_ERROR(ValidateDigest(digest));
  KILN_ASSIGN_OR_RETURN(std::optional<LockedFile> file,
                        LockedFile::Open(StagingPath(digest), /*create=*/false, digest));
  if (!file) return false;
  KILN_RETURN_IF_ERROR(file->Unlink());
  return true;
}

}  // namespace kiln::artifacts
