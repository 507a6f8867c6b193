// ServerProcess: a real `kiln server --port 0 --data DIR --quiet` child process, for the
// HTTP benchmarks. Start waits for its "Kiln server listening on URL" line; the destructor
// stops it with SIGTERM and reaps it.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "common/status.h"

namespace kiln::bench {

class ServerProcess {
 public:
  // Errors: kUnavailable when the binary cannot be started or prints no URL within 60 s.
  static Result<std::unique_ptr<ServerProcess>> Start(const std::string& binary,
                                                      const std::string& data_dir);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& url() const { return url_; }
  pid_t pid() const { return pid_; }

 private:
  ServerProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}
  Status ReadUrl();

  pid_t pid_;
  int stdout_fd_;  // kept open so the child never writes into a closed pipe
  std::string url_;
};

}  // namespace kiln::bench
