#include "exec/executor_factory.h"

#include <functional>
#include <map>

#include "exec/local_executor.h"

namespace kiln::exec {
namespace {

using Maker = std::function<Result<std::unique_ptr<Executor>>(const ExecutorConfig&)>;

const std::map<std::string, Maker>& Makers() {
  static const std::map<std::string, Maker> makers = {
      {"local",
       [](const ExecutorConfig& config) -> Result<std::unique_ptr<Executor>> {
         LocalExecutorOptions options;
         options.cpus = config.cpus;
         options.memory_mb = config.memory_mb;
         return NewLocalExecutor(options);
       }},
  };
  return makers;
}

}  // namespace

Status CheckExecutorKind(const std::string& kind) {
  if (Makers().count(kind)) return Status::Ok();
  std::string known;
  for (const auto& entry : Makers()) known += (known.empty() ? "" : ", ") + entry.first;
  return InvalidArgument("unknown executor '" + kind + "' (known: " + known + ")");
}

Result<std::unique_ptr<Executor>> MakeExecutor(const ExecutorConfig& config) {
  KILN_RETURN_IF_ERROR(CheckExecutorKind(config.kind));
  return Makers().at(config.kind)(config);
}

}  // namespace kiln::exec
