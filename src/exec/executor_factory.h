// Creating the executor a configuration names: "local" (child processes on this machine); the
// next ones (slurm, kubernetes) are one registration in executor_factory.cc.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "exec/executor.h"

namespace kiln::exec {

// Which executor and its capacity.
struct ExecutorConfig {
  std::string kind = "local";
  double cpus = 0;        // 0 = every core
  int64_t memory_mb = 0;  // 0 = physical memory
};

// OK when `kind` is known. Errors: kInvalidArgument naming it and the known kinds. Thread-safe.
Status CheckExecutorKind(const std::string& kind);

// A new executor of `config.kind`. Errors: as CheckExecutorKind.
Result<std::unique_ptr<Executor>> MakeExecutor(const ExecutorConfig& config);

}  // namespace kiln::exec
