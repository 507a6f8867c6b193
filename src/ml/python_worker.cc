#include "ml/python_worker.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

extern char** environ;

namespace kiln::ml {
namespace {

using Clock = std::chrono::steady_clock;

std::string ErrnoMessage(int err) { return std::strerror(err); }

// Milliseconds left until `deadline` for poll(), at least 0.
int MillisLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(std::min<int64_t>(left.count(), 1 << 30));
}

// Blocks SIGPIPE in this thread while it writes to a pipe whose reader may be gone, and
// discards a SIGPIPE the write raised: the server ignores SIGPIPE, but other callers
// (`kiln serve`, `kiln models predict`, tests) may not.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeGuard() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      const timespec zero{0, 0};
      while (sigtimedwait(&pipe_, nullptr, &zero) < 0 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
};

// posix_spawn's attributes and file actions, destroyed together.
struct SpawnSetup {
  SpawnSetup() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  // stdin and stdout from the pipes, stderr inherited, nothing else; an empty signal mask and
  // default handlers (the server blocks SIGTERM and ignores SIGPIPE); its own process group so
  // a terminal's Ctrl-C reaches the server, which then ends the worker. Returns 0 or an errno.
  int Prepare(int child_stdin, int child_stdout) {
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    int rc = posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&attr, &none);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr, &all);
    if (rc == 0) rc = posix_spawnattr_setpgroup(&attr, 0);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, child_stdin, 0);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, child_stdout, 1);
    if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    return rc;
  }

  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
};

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

std::string DescribeExit(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
  return "ended";
}

}  // namespace

Status PythonWorker::Spawn() {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) return Unavailable("pipe: " + ErrnoMessage(errno));
  if (pipe2(out, O_CLOEXEC) != 0) {
    const int err = errno;
    close(in[0]);
    close(in[1]);
    return Unavailable("pipe: " + ErrnoMessage(err));
  }
  std::vector<char*> argv;
  for (std::string& arg : options_.argv) argv.push_back(arg.data());
  argv.push_back(nullptr);
  SpawnSetup setup;
  int rc = setup.Prepare(in[0], out[1]);
  pid_t pid = 0;
  if (rc == 0) rc = posix_spawnp(&pid, argv[0], &setup.actions, &setup.attr, argv.data(), environ);
  close(in[0]);
  close(out[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    return Unavailable("cannot start the Python worker '" + options_.argv[0] +
                       "': " + ErrnoMessage(rc) + " (set KILN_PYTHON to the interpreter)");
  }
  pid_ = pid;
  to_child_ = in[1];
  from_child_ = out[0];
  fcntl(to_child_, F_SETFL, O_NONBLOCK);
  fcntl(from_child_, F_SETFL, O_NONBLOCK);
  pending_.clear();
  return Status::Ok();
}

Status PythonWorker::EnsureStarted() {
  if (pid_ != 0) return Status::Ok();
  KILN_RETURN_IF_ERROR(Spawn());
  std::string line;
  const Failure failure = ReadLine(line, Clock::now() + options_.start_timeout);
  if (failure == Failure::kTimeout) {
    Stop();
    return Unavailable("the Python worker did not become ready within " +
                       std::to_string(options_.start_timeout.count() / 1000) + " s");
  }
  if (failure == Failure::kDied) {
    return Unavailable("the Python worker " + StopAndDescribe() +
                       " before it was ready (its errors are in the server's stderr)");
  }
  nlohmann::json ready = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (ready.is_object() && ready.value("ready", false)) return Status::Ok();
  Stop();
  if (ready.is_object() && ready.contains("error") && ready["error"].is_string()) {
    return InvalidArgument(ready["error"].get<std::string>());
  }
  return Unavailable("the Python worker answered '" + line.substr(0, 200) +
                     "' instead of its ready line");
}

// A worker that loaded the model once and now cannot is the server's trouble, not the
// client's: kUnavailable whatever the reason.
Status PythonWorker::Restart() {
  Status started = EnsureStarted();
  if (started.ok()) return started;
  return Unavailable("the Python worker cannot be (re)started: " + started.message());
}

Result<std::string> PythonWorker::Call(const std::string& request) {
  const bool was_running = pid_ != 0;
  KILN_RETURN_IF_ERROR(Restart());
  std::string answer;
  Failure failure = Exchange(request, answer);
  if (failure == Failure::kDied && was_running) {
    // Most likely killed while idle: the request never reached a live worker, so retry once.
    Stop();
    KILN_RETURN_IF_ERROR(Restart());
    failure = Exchange(request, answer);
  }
  if (failure == Failure::kNone) return answer;
  if (failure == Failure::kTimeout) {
    Stop();
    return Unavailable("the Python worker did not answer within " +
                       std::to_string(options_.request_timeout.count() / 1000) +
                       " s; it was killed and is restarted for the next request");
  }
  return Unavailable("the Python worker " + StopAndDescribe() +
                     " during the request; it is restarted for the next one");
}

PythonWorker::Failure PythonWorker::Exchange(const std::string& request, std::string& answer) {
  const Clock::time_point deadline = Clock::now() + options_.request_timeout;
  const Failure failure = Write(request + "\n", deadline);
  if (failure != Failure::kNone) return failure;
  return ReadLine(answer, deadline);
}

PythonWorker::Failure PythonWorker::Write(const std::string& data, Clock::time_point deadline) {
  SigpipeGuard guard;
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(to_child_, data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) return Failure::kDied;  // EPIPE: the reader is gone
    pollfd p{to_child_, POLLOUT, 0};
    const int ready = poll(&p, 1, MillisLeft(deadline));
    if (ready == 0) return Failure::kTimeout;
    if (ready < 0 && errno != EINTR) return Failure::kDied;
  }
  return Failure::kNone;
}

PythonWorker::Failure PythonWorker::ReadLine(std::string& line, Clock::time_point deadline) {
  char buffer[65536];
  for (;;) {
    const size_t end = pending_.find('\n');
    if (end != std::string::npos) {
      line = pending_.substr(0, end);
      pending_.erase(0, end + 1);
      return Failure::kNone;
    }
    const ssize_t n = read(from_child_, buffer, sizeof buffer);
    if (n > 0) {
      pending_.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) return Failure::kDied;  // end of file: the worker is gone
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return Failure::kDied;
    pollfd p{from_child_, POLLIN, 0};
    const int ready = poll(&p, 1, MillisLeft(deadline));
    if (ready == 0) return Failure::kTimeout;
    if (ready < 0 && errno != EINTR) return Failure::kDied;
  }
}

std::string PythonWorker::StopAndDescribe() {
  if (pid_ == 0) return "is not running";
  kill(pid_, SIGKILL);  // no effect on an exited (unreaped) process, whose status is kept
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  const pid_t pid = pid_;
  pid_ = 0;
  CloseFd(to_child_);
  CloseFd(from_child_);
  pending_.clear();
  return "(pid " + std::to_string(pid) + ") " + DescribeExit(status);
}

void PythonWorker::Stop() { StopAndDescribe(); }

bool PythonWorker::ReapIfExited() {
  if (pid_ == 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
  spdlog::warn("the Python worker (pid {}) {}; a new one is started", pid_, DescribeExit(status));
  pid_ = 0;
  CloseFd(to_child_);
  CloseFd(from_child_);
  pending_.clear();
  return true;
}

}  // namespace kiln::ml
