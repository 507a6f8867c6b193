// The live terminal view of `kiln run`: a line per step event (started, succeeded, cached,
// failed with its log tail, skipped, retried) and, on a terminal, a status line redrawn in
// place: elapsed time and steps done / running / cached / failed.
#pragma once

#include <chrono>
#include <cstdio>
#include <map>
#include <string>

#include "common/mutex.h"
#include "exec/pipeline_run.h"

namespace kiln::cli {

class RunView {
 public:
  // Writes to `out`; `live` redraws a status line (use isatty). `total_steps` over all runs.
  RunView(std::FILE* out, bool live, size_t total_steps);

  // Prints one event of run `label` ("" for a single run). Thread-safe.
  void OnEvent(const std::string& label, const exec::RunEvent& event);
  // Redraws the status line (a timer calls this). Thread-safe.
  void Tick();
  // Clears the status line for good. Thread-safe.
  void Close();

 private:
  void PrintLine(const std::string& line) REQUIRES(mu_);
  std::string StatusLine() const REQUIRES(mu_);

  std::FILE* out_;
  const bool live_;
  const size_t total_steps_;
  const std::chrono::steady_clock::time_point start_;
  Mutex mu_;  // also serializes writes to the terminal
  size_t running_ GUARDED_BY(mu_) = 0;
  size_t succeeded_ GUARDED_BY(mu_) = 0;
  size_t cached_ GUARDED_BY(mu_) = 0;
  size_t failed_ GUARDED_BY(mu_) = 0;
  size_t skipped_ GUARDED_BY(mu_) = 0;
  bool closed_ GUARDED_BY(mu_) = false;
};

}  // namespace kiln::cli
