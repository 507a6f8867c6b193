#include "exec/step_launch.h"

#include <filesystem>
#include <system_error>

#include "pipeline/placeholders.h"

namespace kiln::exec {
namespace fs = std::filesystem;
namespace {

Result<std::string> Lookup(const pipeline::ResolvedStep& step, const StepPaths& paths,
                           const std::map<std::string, std::string>& input_paths,
                           const pipeline::Placeholder& p) {
  if (p.scope == "params") {
    auto it = step.params.find(p.name);
    if (it != step.params.end()) return pipeline::ToString(it->second);
  } else if (p.scope == "inputs") {
    auto it = input_paths.find(p.name);
    if (it != input_paths.end()) return it->second;
  } else if (step.outputs.count(p.name)) {
    return (fs::path(paths.outputs_dir) / p.name).string();
  }
  return InvalidArgument("step '" + step.name + "': '${" + p.scope + "." + p.name +
                         "}' has no value (declare a default or set it in the pipeline)");
}

void AddIdentityEnv(const StepIdentity& id, const StepPaths& paths,
                    const pipeline::ResolvedStep& step, std::map<std::string, std::string>& env) {
  if (id.extra_env != nullptr) {
    for (const auto& [name, value] : *id.extra_env) env[name] = value;
  }
  env["KILN_PIPELINE_RUN_ID"] = id.pipeline_run_id;
  env["KILN_PARENT_RUN_ID"] = id.pipeline_run_id;
  env["KILN_RUN_ID"] = id.step_run_id;
  env["KILN_STEP"] = step.name;
  env["KILN_EXPERIMENT_ID"] = id.experiment_id;
  env["KILN_WORK_DIR"] = paths.dir;
  if (!id.data_dir.empty()) env["KILN_DATA_DIR"] = id.data_dir;
  env["KILN_OUTPUT_DIR"] = paths.outputs_dir;
  env["KILN_METRICS_FILE"] = paths.metrics_file;
  if (!step.module_dir.empty()) env["KILN_MODULE_DIR"] = step.module_dir;
  // An mlflow client in the step logs into the step's own run.
  env["MLFLOW_RUN_ID"] = id.step_run_id;
  env["MLFLOW_EXPERIMENT_ID"] = id.experiment_id;
  if (!id.tracking_uri.empty()) env["MLFLOW_TRACKING_URI"] = id.tracking_uri;
}

}  // namespace

StepPaths StepPathsFor(const std::string& data_dir, const std::string& run_id,
                       const std::string& step) {
  fs::path dir = fs::absolute(fs::path(data_dir) / "work" / run_id / step);
  return {dir.string(), (dir / "outputs").string(), (dir / "step.log").string(),
          (dir / "metrics.jsonl").string()};
}

Status PrepareStepFolders(const pipeline::ResolvedStep& step, const StepPaths& paths) {
  std::error_code ec;
  fs::remove_all(paths.outputs_dir, ec);
  fs::remove(paths.metrics_file, ec);
  fs::create_directories(paths.outputs_dir, ec);
  if (ec) return Internal("cannot create '" + paths.outputs_dir + "': " + ec.message());
  for (const auto& [name, type] : step.outputs) {
    if (type != pipeline::ArtifactType::kDir) continue;
    fs::create_directories(fs::path(paths.outputs_dir) / name, ec);
    if (ec) return Internal("cannot create output folder '" + name + "': " + ec.message());
  }
  return Status::Ok();
}

Result<ProcessSpec> BuildProcessSpec(const pipeline::ResolvedStep& step, const StepPaths& paths,
                                     const std::map<std::string, std::string>& input_paths,
                                     const StepIdentity& identity, const std::string& base_dir) {
  auto lookup = [&](const pipeline::Placeholder& p) { return Lookup(step, paths, input_paths, p); };
  ProcessSpec spec;
  for (const std::string& arg : step.command) {
    KILN_ASSIGN_OR_RETURN(std::string value, pipeline::SubstitutePlaceholders(arg, lookup));
    spec.argv.push_back(std::move(value));
  }
  for (const auto& [name, text] : step.env) {
    KILN_ASSIGN_OR_RETURN(spec.env[name], pipeline::SubstitutePlaceholders(text, lookup));
  }
  AddIdentityEnv(identity, paths, step, spec.env);
  spec.working_dir = step.module_dir.empty() ? base_dir : step.module_dir;
  spec.log_path = paths.log_file;
  spec.cpus = step.resources.cpus;
  spec.memory_mb = step.resources.memory_mb;
  spec.timeout_ms = step.timeout_seconds * 1000;
  return spec;
}

}  // namespace kiln::exec
