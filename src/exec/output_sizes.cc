#include "exec/output_sizes.h"

#include <filesystem>
#include <system_error>

namespace kiln::exec {

std::map<std::string, uint64_t> StoredOutputSizes(const artifacts::ArtifactStore& store,
                                                  const pipeline::PipelineRunRecord& run) {
  std::map<std::string, uint64_t> sizes;
  for (const pipeline::StepRecord& step : run.steps) {
    for (const pipeline::StepOutput& output : step.outputs) {
      if (output.is_tree || sizes.contains(output.digest)) continue;
      Result<std::string> path = store.LocateBlob(output.digest);
      if (!path.ok()) continue;
      std::error_code ec;
      const uintmax_t size = std::filesystem::file_size(*path, ec);
      if (!ec) sizes.emplace(output.digest, size);
    }
  }
  return sizes;
}

bool StepLogExists(const std::string& path) {
  std::error_code ec;
  return !path.empty() && std::filesystem::exists(path, ec);
}

}  // namespace kiln::exec
