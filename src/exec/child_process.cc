#include "exec/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "exec/spawn_args.h"

extern char** environ;

namespace kiln::exec {
namespace {

// Closes a file descriptor when it goes out of scope.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// posix_spawn's attributes and file actions, destroyed together.
class SpawnSetup {
 public:
  SpawnSetup() {
    posix_spawnattr_init(&attr_);
    posix_spawn_file_actions_init(&actions_);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attr_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  // New session, empty signal mask, every signal at its default (the parent may ignore
  // SIGPIPE). Returns 0 or an errno.
  int SetAttributes() {
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    int rc = posix_spawnattr_setflags(
        &attr_, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&attr_, &none);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr_, &all);
    return rc;
  }

  // stdin from /dev/null, stdout and stderr to `log_fd` (>= 3), chdir, and every other
  // descriptor closed: other threads may open descriptors without O_CLOEXEC. Returns 0 or an
  // errno.
  int SetFileActions(int log_fd, const std::string& working_dir) {
    int rc = posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions_, log_fd, 1);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions_, log_fd, 2);
    if (rc == 0 && !working_dir.empty()) {
      rc = posix_spawn_file_actions_addchdir_np(&actions_, working_dir.c_str());
    }
    if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&actions_, 3);
    return rc;
  }

  const posix_spawnattr_t* attr() const { return &attr_; }
  const posix_spawn_file_actions_t* actions() const { return &actions_; }

 private:
  posix_spawnattr_t attr_;
  posix_spawn_file_actions_t actions_;
};

Status StartError(const ProcessSpec& spec, const std::string& reason) {
  return FailedPrecondition("cannot start '" + spec.argv[0] + "': " + reason);
}

// Opens the log for appending (creating it and its folder), as a CLOEXEC descriptor >= 3 so
// the file actions that set up 0, 1 and 2 cannot clobber it. Returns -errno on failure.
int OpenLog(const std::string& path) {
  const char* target = path.empty() ? "/dev/null" : path.c_str();
  int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
  int fd = open(target, flags, 0644);
  if (fd < 0 && errno == ENOENT && !path.empty()) {
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
    fd = open(target, flags, 0644);
  }
  if (fd < 0) return -errno;
  if (fd >= 3) return fd;
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  int err = errno;
  close(fd);
  return high >= 0 ? high : -err;
}

void AppendLine(int fd, const std::string& text) {
  std::string line = text + "\n";
  ssize_t ignored = write(fd, line.data(), line.size());
  (void)ignored;
}

Status CheckWorkingDir(const ProcessSpec& spec) {
  if (spec.working_dir.empty()) return Status::Ok();
  struct stat st;
  int err = stat(spec.working_dir.c_str(), &st) != 0 ? errno : 0;
  if (err == 0 && !S_ISDIR(st.st_mode)) err = ENOTDIR;
  if (err == 0) return Status::Ok();
  return StartError(spec, "working directory '" + spec.working_dir + "': " + ErrnoText(err));
}

// Spawns `program` for `spec` with output to `log_fd`. Returns the pid or a start error.
Result<pid_t> Spawn(const std::string& program, const ProcessSpec& spec, int log_fd) {
  SpawnSetup setup;
  int rc = setup.SetAttributes();
  if (rc == 0) rc = setup.SetFileActions(log_fd, spec.working_dir);
  if (rc != 0) return StartError(spec, ErrnoText(rc));
  std::vector<std::string> args = spec.argv;
  std::vector<std::string> env = MergeEnvironment(environ, spec.env);
  std::vector<char*> argv = CStringArray(args);
  std::vector<char*> envp = CStringArray(env);
  pid_t pid = 0;
  rc = posix_spawn(&pid, program.c_str(), setup.actions(), setup.attr(), argv.data(), envp.data());
  if (rc != 0) return StartError(spec, ErrnoText(rc));
  return pid;
}

// Opens a pidfd for the fresh child `pid`; on failure kills and reaps it.
Result<int> OpenPidfd(const ProcessSpec& spec, pid_t pid) {
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd >= 0) return pidfd;
  Status error = StartError(spec, "pidfd_open: " + ErrnoText(errno));
  kill(-pid, SIGKILL);
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  return error;
}

// Everything of Start after the log is open; errors are returned for the caller to log.
Result<std::unique_ptr<ChildProcess>> StartWithLog(const ProcessSpec& spec, int log_fd) {
  KILN_RETURN_IF_ERROR(CheckWorkingDir(spec));
  Result<std::string> program = FindProgram(spec.argv[0], SearchPath(spec.env));
  if (!program.ok()) return StartError(spec, program.status().message());
  KILN_ASSIGN_OR_RETURN(pid_t pid, Spawn(*program, spec, log_fd));
  KILN_ASSIGN_OR_RETURN(int pidfd, OpenPidfd(spec, pid));
  return std::make_unique<ChildProcess>(pid, pidfd);
}

ExitInfo ToExitInfo(const siginfo_t& info) {
  ExitInfo exit;
  if (info.si_code == CLD_EXITED) {
    exit.exit_code = info.si_status;
  } else {
    exit.signal = info.si_status;
  }
  return exit;
}

}  // namespace

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(const ProcessSpec& spec) {
  int fd = OpenLog(spec.log_path);
  if (fd < 0) return StartError(spec, "log '" + spec.log_path + "': " + ErrnoText(-fd));
  UniqueFd log(fd);
  Result<std::unique_ptr<ChildProcess>> child = StartWithLog(spec, log.get());
  if (!child.ok()) AppendLine(log.get(), child.status().message());
  return child;
}

ChildProcess::~ChildProcess() {
  if (!reaped_) {
    SignalGroup(SIGKILL);
    siginfo_t info;
    while (waitid(P_PIDFD, pidfd_, &info, WEXITED) < 0 && errno == EINTR) {
    }
  }
  close(pidfd_);
}

void ChildProcess::SignalGroup(int sig) const {
  if (!reaped_) kill(-pid_, sig);
}

std::optional<ExitInfo> ChildProcess::TryReap() {
  if (reaped_) return std::nullopt;
  siginfo_t info{};
  // Peek first (WNOWAIT): the zombie keeps the group id reserved while strays are killed.
  if (waitid(P_PIDFD, pidfd_, &info, WEXITED | WNOHANG | WNOWAIT) < 0) {
    if (errno == EINTR) return std::nullopt;
    reaped_ = true;  // ECHILD: reaped elsewhere (e.g. SIGCHLD ignored); the status is lost
    return ExitInfo{};
  }
  if (info.si_pid == 0) return std::nullopt;
  kill(-pid_, SIGKILL);
  while (waitid(P_PIDFD, pidfd_, &info, WEXITED) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return ToExitInfo(info);
}

}  // namespace kiln::exec
