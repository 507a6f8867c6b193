#include "server_process.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <vector>

namespace kiln::bench {

Result<std::unique_ptr<ServerProcess>> ServerProcess::Start(const std::string& binary,
                                                            const std::string& data_dir) {
  int fds[2];
  if (pipe(fds) != 0) return Unavailable("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) return Unavailable("fork failed");
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<std::string> args = {binary,   "server", "--port", "0",
                                     "--data", data_dir, "--quiet"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::unique_ptr<ServerProcess> server(new ServerProcess(pid, fds[0]));
  KILN_RETURN_IF_ERROR(server->ReadUrl());
  return server;
}

Status ServerProcess::ReadUrl() {
  constexpr std::string_view kMarker = "listening on ";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::string out;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{stdout_fd_, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char chunk[512];
    const ssize_t n = read(stdout_fd_, chunk, sizeof chunk);
    if (n <= 0) break;
    out.append(chunk, static_cast<size_t>(n));
    const size_t at = out.find(kMarker);
    const size_t eol = at == std::string::npos ? at : out.find('\n', at);
    if (eol != std::string::npos) {
      url_ = out.substr(at + kMarker.size(), eol - at - kMarker.size());
      return Status::Ok();
    }
  }
  return Unavailable("kiln server printed no URL; output so far: " + out);
}

ServerProcess::~ServerProcess() {
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  close(stdout_fd_);
}

}  // namespace kiln::bench
