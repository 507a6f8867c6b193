#include "exec/builtin_launch.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "pipeline/param_json.h"

namespace kiln::exec {
namespace fs = std::filesystem;

std::string SelfExecutable() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "" : self.string();
}

std::vector<std::string> DefaultBuiltinCommand() { return {SelfExecutable(), "builtin-step"}; }

Result<std::vector<std::string>> BuiltinStepCommand(
    const std::vector<std::string>& prefix, const pipeline::ResolvedStep& step,
    const StepPaths& paths, const std::map<std::string, std::string>& input_paths,
    const std::map<std::string, std::string>& input_sources) {
  if (prefix.empty() || prefix[0].empty()) {
    return FailedPrecondition("builtin module '" + step.builtin +
                              "' cannot run: the kiln executable was not found");
  }
  nlohmann::json request = {{"builtin", step.builtin},
                            {"step", step.name},
                            {"params", nlohmann::json::object()},
                            {"inputs", input_paths},
                            {"input_sources", input_sources},
                            {"outputs", nlohmann::json::object()},
                            {"metrics_file", paths.metrics_file}};
  for (const auto& [name, value] : step.params) {
    request["params"][name] = pipeline::ParamValueToJson(value);
  }
  for (const auto& [name, type] : step.outputs) {
    request["outputs"][name] = (fs::path(paths.outputs_dir) / name).string();
  }
  const std::string file = (fs::path(paths.dir) / "builtin.json").string();
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << request.dump(2) << "\n";
  out.close();
  if (!out) return Internal("cannot write '" + file + "'");
  std::vector<std::string> argv = prefix;
  argv.push_back(file);
  return argv;
}

}  // namespace kiln::exec
