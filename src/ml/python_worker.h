// PythonWorker: one supervised worker process speaking newline-delimited JSON over pipes (the
// protocol of ml/python_worker_script.h). It is started on first use and restarted after it
// dies or hangs; its stderr is the caller's stderr.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/status.h"

namespace kiln::ml {

struct PythonWorkerOptions {
  std::vector<std::string> argv;  // the command, e.g. {python3, -c, SCRIPT, PACKAGE_DIR}
  std::chrono::milliseconds start_timeout{60000};    // until the ready line
  std::chrono::milliseconds request_timeout{30000};  // per request, writing and reading
};

// Owns at most one child process at a time. Not thread-safe: callers serialize (one request at
// a time is also what the protocol allows).
class PythonWorker {
 public:
  explicit PythonWorker(PythonWorkerOptions options) : options_(std::move(options)) {}
  // Kills and reaps the process, if any.
  ~PythonWorker() { Stop(); }
  PythonWorker(const PythonWorker&) = delete;
  PythonWorker& operator=(const PythonWorker&) = delete;

  // Starts the process unless it runs, and waits for its ready line. Errors: kInvalidArgument
  // with the worker's own message when it cannot load the model; kUnavailable when the
  // interpreter cannot start, exits or stays silent. On error no process is left behind.
  Status EnsureStarted();
  // Sends one request line (without its newline) and returns the answer line. A process found
  // dead when the request is sent (e.g. killed since the last request) is restarted and the
  // request sent again once. Errors: kUnavailable when the process cannot be started, dies or
  // exceeds request_timeout during the request (it is then killed and reaped, and the next
  // call starts a fresh one).
  Result<std::string> Call(const std::string& request);
  // Kills (SIGKILL) and reaps the process, if any. Never fails.
  void Stop();
  // Without blocking: if the process has exited (e.g. killed while idle), reaps it, logs how it
  // ended and returns true; the next EnsureStarted or Call starts a new one.
  bool ReapIfExited();

  // The running process's pid, or 0.
  pid_t pid() const { return pid_; }

 private:
  enum class Failure { kNone, kDied, kTimeout };

  Status Spawn();
  // EnsureStarted, with every error as kUnavailable.
  Status Restart();
  // Writes `data` fully before `deadline`.
  Failure Write(const std::string& data, std::chrono::steady_clock::time_point deadline);
  // Reads one line (without the newline) before `deadline` into `line`.
  Failure ReadLine(std::string& line, std::chrono::steady_clock::time_point deadline);
  // One request/answer exchange on the running process.
  Failure Exchange(const std::string& request, std::string& answer);
  // Stops the process and describes how it ended, for error messages.
  std::string StopAndDescribe();

  PythonWorkerOptions options_;
  pid_t pid_ = 0;
  int to_child_ = -1;    // the worker's stdin
  int from_child_ = -1;  // the worker's stdout
  std::string pending_;  // bytes read past the last answer line
};

}  // namespace kiln::ml
