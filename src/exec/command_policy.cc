#include "exec/command_policy.h"

#include <filesystem>
#include <regex>

#include "pipeline/placeholders.h"

namespace kiln::exec {
namespace fs = std::filesystem;
namespace {

const std::string& Refusal() {
  static const std::string text =
      std::string("; this server does not run commands sent over the ") +
      "network (start it with " + kAllowRemoteCommandsFlag + " to allow them)";
  return text;
}

bool IsUnder(const std::string& dir, const fs::path& root) {
  const fs::path path = fs::path(dir).lexically_normal();
  const fs::path relative = path.lexically_relative(root);
  return !relative.empty() && *relative.begin() != "..";
}

// "-c", "-e", and short-flag clusters ending in them ("-ec", "-lc"): the next argument is code.
bool TakesCode(const std::string& flag) {
  static const std::regex kFlag("-[A-Za-z]*[ce]|--command|--eval");
  return std::regex_match(flag, kFlag);
}

// The step param that `text` runs as code, or "" when none: a ${params.NAME} that the step sets.
std::string ParamIn(const std::string& text, const pipeline::StepSpec& step) {
  Result<std::vector<pipeline::Placeholder>> found = pipeline::FindPlaceholders(text);
  if (!found.ok()) return "";
  for (const pipeline::Placeholder& p : *found) {
    if (p.scope == "params" && step.params.count(p.name)) return p.name;
  }
  return "";
}

// The step param that the module's command runs as code, or "".
std::string CodeParam(const pipeline::ResolvedStep& resolved, const pipeline::StepSpec& step) {
  const std::vector<std::string>& argv = resolved.command;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (i > 0 && !TakesCode(argv[i - 1])) continue;
    std::string param = ParamIn(argv[i], step);
    if (!param.empty()) return param;
  }
  return "";
}

Status Refuse(const pipeline::PipelineSpec& spec, const pipeline::StepSpec& step,
              const std::string& what) {
  return Status(StatusCode::kPermissionDenied,
                pipeline::MarkedError(spec.file, step.mark, "steps." + step.name, what + Refusal())
                    .message());
}

}  // namespace

Status CheckNoClientCommands(const pipeline::ResolvedPipeline& pipeline,
                             const std::string& base_dir) {
  const fs::path project_modules = (fs::path(base_dir) / "modules").lexically_normal();
  for (size_t i = 0; i < pipeline.steps.size() && i < pipeline.spec.steps.size(); ++i) {
    const pipeline::ResolvedStep& resolved = pipeline.steps[i];
    const pipeline::StepSpec& step = pipeline.spec.steps[i];
    if (!resolved.builtin.empty()) continue;
    if (step.is_inline()) return Refuse(pipeline.spec, step, "an inline command step");
    if (!base_dir.empty() && IsUnder(resolved.module_dir, project_modules)) {
      return Refuse(pipeline.spec, step,
                    "module " + resolved.module_ref +
                        " is a command module from the pipeline's folder (modules/)");
    }
    const std::string param = CodeParam(resolved, step);
    if (!param.empty()) {
      return Refuse(pipeline.spec, step,
                    "module " + resolved.module_ref + " runs its param '" + param + "' as code");
    }
  }
  return Status::Ok();
}

Status CheckPublishableRemotely(const pipeline::ModuleManifest& manifest) {
  if (!manifest.runner.builtin.empty()) return Status::Ok();
  return Status(StatusCode::kPermissionDenied,
                "module " + manifest.name + "@" + manifest.version +
                    " is a command module; this server does not accept command modules sent "
                    "over the network (start it with " +
                    kAllowRemoteCommandsFlag + " to allow them)");
}

}  // namespace kiln::exec
