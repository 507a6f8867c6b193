#include "auth/initial_admin.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "auth/secrets.h"

namespace kiln::auth {
namespace {

// Writes `text` to a new file at `path` only this user can read. Errors: kFailedPrecondition
// when it exists, kInternal when it cannot be written.
Status WriteSecretFile(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST) {
    return FailedPrecondition("the store has no users but " + path +
                              " exists; it is never overwritten: remove it (or add a user with "
                              "`kiln users add NAME --admin`) and start again");
  }
  if (fd < 0) return Internal("cannot create " + path + ": " + std::strerror(errno));
  const bool written = ::fchmod(fd, 0600) == 0 &&
                       ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!written) {
    ::unlink(path.c_str());
    return Internal("cannot write " + path + ": " + std::strerror(error));
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> EnsureInitialAdmin(AuthService& auth, const std::string& data_dir) {
  KILN_ASSIGN_OR_RETURN(int64_t users, auth.CountUsers());
  if (users > 0) return std::string();
  KILN_ASSIGN_OR_RETURN(std::string password, MakePassword());
  const std::string path = data_dir + "/" + kInitialAdminFile;
  KILN_RETURN_IF_ERROR(WriteSecretFile(path, password + "\n"));
  if (Status added = auth.AddUser("admin", password, /*admin=*/true, PasswordOrigin::kGenerated);
      !added.ok()) {
    ::unlink(path.c_str());  // its password belongs to no one
    return added;
  }
  return "initial admin password in " + path;
}

}  // namespace kiln::auth
