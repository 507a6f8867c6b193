#include "pipeline/resolve.h"

#include "pipeline/pipeline_validate.h"
#include "pipeline/placeholders.h"

namespace kiln::pipeline {
namespace {

Result<std::map<std::string, ParamValue>> PipelineParams(const PipelineSpec& spec) {
  std::map<std::string, ParamValue> values;
  for (const ParamSpec& param : spec.params) {
    if (!param.default_value) {
      return MarkedError(spec.file, param.mark, "params." + param.name,
                         "required param '" + param.name + "' has no value (set it with " +
                             param.name + "=VALUE)");
    }
    values[param.name] = *param.default_value;
  }
  return values;
}

// An inline step's param as written: untyped scalars stay strings, lists lists of strings.
ParamValue UntypedValue(const ParamLiteral& literal) {
  if (!literal.is_list) return ParamValue{literal.scalar};
  std::vector<ParamValue> items;
  for (const ParamLiteral& item : literal.items) items.push_back(UntypedValue(item));
  return ParamValue{std::move(items)};
}

Result<ParamValue> StepParamValue(const PipelineSpec& spec, const StepSpec& step,
                                  const std::string& name, const StepParam& param,
                                  const ParamSpec* declared,
                                  const std::map<std::string, ParamValue>& pipeline_params) {
  if (param.is_reference) return pipeline_params.at(param.reference);
  if (declared == nullptr) return UntypedValue(param.literal);
  return ConvertLiteral(*declared, param.literal, spec.file,
                        "steps." + step.name + ".params." + name);
}

Status CheckInlinePlaceholders(const PipelineSpec& spec, const StepSpec& step) {
  auto check = [&](const std::string& text, SourceMark mark, const std::string& field) -> Status {
    Result<std::vector<Placeholder>> found = FindPlaceholders(text);
    if (!found.ok()) return MarkedError(spec.file, mark, field, found.status().message());
    for (const Placeholder& p : *found) {
      const bool known = (p.scope == "params" && step.params.count(p.name)) ||
                         (p.scope == "inputs" && step.inputs.count(p.name)) ||
                         (p.scope == "outputs" && step.outputs.count(p.name));
      if (!known) {
        return MarkedError(spec.file, mark, field,
                           "'${" + p.scope + "." + p.name + "}' names no " +
                               p.scope.substr(0, p.scope.size() - 1) + " of step '" + step.name +
                               "'");
      }
    }
    return Status::Ok();
  };
  const std::string path = "steps." + step.name;
  for (size_t i = 0; i < step.command.size(); ++i) {
    const SourceMark mark = i < step.command_marks.size() ? step.command_marks[i] : step.mark;
    KILN_RETURN_IF_ERROR(
        check(step.command[i], mark, path + ".command[" + std::to_string(i) + "]"));
  }
  for (const auto& [key, value] : step.env) {
    auto mark = step.env_marks.find(key);
    KILN_RETURN_IF_ERROR(check(value, mark == step.env_marks.end() ? step.mark : mark->second,
                               path + ".env." + key));
  }
  return Status::Ok();
}

Result<ResolvedStep> ResolveStep(const PipelineSpec& spec, const StepSpec& step,
                                 const ModuleLibrary& library,
                                 const std::map<std::string, ParamValue>& pipeline_params) {
  ResolvedStep out;
  out.name = step.name;
  out.inputs = step.inputs;
  out.resources = step.resources;
  out.timeout_seconds = step.timeout_seconds;
  out.retries = step.retries;
  out.cacheable = step.cache;
  out.deps = step.deps;
  const ModuleManifest* module =
      step.is_inline() ? nullptr : library.Find(step.module, step.version);
  for (const auto& [name, param] : step.params) {
    const ParamSpec* declared = module ? module->FindParam(name) : nullptr;
    KILN_ASSIGN_OR_RETURN(out.params[name],
                          StepParamValue(spec, step, name, param, declared, pipeline_params));
  }
  if (module == nullptr) {
    KILN_RETURN_IF_ERROR(CheckInlinePlaceholders(spec, step));
    out.module_ref = "inline";
    out.command = step.command;
    out.env = step.env;
    for (const auto& [name, port] : step.outputs) out.outputs[name] = port.type;
    return out;
  }
  out.module_ref = module->name + "@" + module->version;
  out.cacheable = out.cacheable && module->cacheable;
  out.builtin = module->runner.builtin;
  out.module_dir = module->source_dir;
  out.files_digest = module->files_digest;
  out.command = module->runner.command;
  out.env = module->runner.env;
  for (const ParamSpec& declared : module->params) {
    if (!out.params.count(declared.name) && declared.default_value) {
      out.params[declared.name] = *declared.default_value;
    }
  }
  for (const PortSpec& port : module->outputs) out.outputs[port.name] = port.type;
  return out;
}

}  // namespace

Result<ResolvedPipeline> ResolvePipeline(PipelineSpec spec, const ModuleLibrary& library) {
  KILN_RETURN_IF_ERROR(ValidatePipeline(spec, library));
  ResolvedPipeline out;
  KILN_ASSIGN_OR_RETURN(out.plan, PlanDag(spec));
  KILN_ASSIGN_OR_RETURN(out.params, PipelineParams(spec));
  for (const StepSpec& step : spec.steps) {
    KILN_ASSIGN_OR_RETURN(ResolvedStep resolved, ResolveStep(spec, step, library, out.params));
    out.steps.push_back(std::move(resolved));
  }
  out.spec = std::move(spec);
  return out;
}

}  // namespace kiln::pipeline
