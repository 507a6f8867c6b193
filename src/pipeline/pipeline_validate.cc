#include "pipeline/pipeline_validate.h"

#include "pipeline/dag_plan.h"

namespace kiln::pipeline {
namespace {

class Validator {
 public:
  Validator(const PipelineSpec& spec, const ModuleLibrary& library)
      : spec_(spec), library_(library) {}

  Status Run() {
    for (const StepSpec& step : spec_.steps) KILN_RETURN_IF_ERROR(CheckStep(step));
    return PlanDag(spec_).status();
  }

 private:
  Status Error(SourceMark mark, const StepSpec& step, const std::string& field,
               const std::string& what) const {
    return MarkedError(spec_.file, mark, "steps." + step.name + (field.empty() ? "" : "." + field),
                       what);
  }

  static std::string Ref(const StepSpec& step) { return step.module + "@" + step.version; }

  Status CheckStep(const StepSpec& step) {
    if (step.is_inline()) return CheckInlineStep(step);
    // Only steps using a conflicting or yanked module fail; the rest of the library works.
    Status usable = library_.CheckUsable(step.module, step.version);
    if (!usable.ok()) return Error(step.uses_mark, step, "uses", usable.message());
    const ModuleManifest* module = library_.Find(step.module, step.version);
    if (module == nullptr) {
      const std::string what =
          library_.HasModule(step.module)
              ? "unknown version '" + step.version + "' of module '" + step.module + "'"
              : "unknown module '" + step.module + "'";
      return Error(step.uses_mark, step, "uses", what);
    }
    for (const auto& [name, param] : step.params) {
      KILN_RETURN_IF_ERROR(CheckParam(step, *module, name, param));
    }
    for (const ParamSpec& declared : module->params) {
      if (declared.required && !step.params.count(declared.name)) {
        return Error(step.mark, step, "params",
                     "missing required param '" + declared.name + "' of " + Ref(step));
      }
    }
    for (const auto& [name, binding] : step.inputs) {
      KILN_RETURN_IF_ERROR(CheckInput(step, *module, name, binding));
    }
    for (const PortSpec& input : module->inputs) {
      if (!input.optional && !step.inputs.count(input.name)) {
        return Error(step.mark, step, "inputs",
                     "missing input '" + input.name + "' of " + Ref(step));
      }
    }
    return Status::Ok();
  }

  Status CheckInlineStep(const StepSpec& step) {
    for (const auto& [name, param] : step.params) {
      if (param.is_reference) KILN_RETURN_IF_ERROR(FindReferenced(step, name, param).status());
    }
    for (const auto& [name, binding] : step.inputs) {
      KILN_RETURN_IF_ERROR(UpstreamOutput(step, name, binding).status());
    }
    return Status::Ok();
  }

  Result<const ParamSpec*> FindReferenced(const StepSpec& step, const std::string& name,
                                          const StepParam& param) const {
    const ParamSpec* declared = spec_.FindParam(param.reference);
    if (declared == nullptr) {
      return Error(param.mark, step, "params." + name,
                   "'${params." + param.reference + "}' names no pipeline param");
    }
    return declared;
  }

  Status CheckParam(const StepSpec& step, const ModuleManifest& module, const std::string& name,
                    const StepParam& param) const {
    const std::string field = "params." + name;
    const ParamSpec* target = module.FindParam(name);
    if (target == nullptr) {
      return Error(param.mark, step, field, "unknown param '" + name + "' of " + Ref(step));
    }
    if (!param.is_reference) {
      return ConvertLiteral(*target, param.literal, spec_.file, "steps." + step.name + "." + field)
          .status();
    }
    KILN_ASSIGN_OR_RETURN(const ParamSpec* source, FindReferenced(step, name, param));
    if (!Compatible(*source, *target)) {
      return Error(param.mark, step, field,
                   "pipeline param '" + source->name + "' is " + TypeText(*source) + ", but " +
                       Ref(step) + " expects " + TypeText(*target));
    }
    if (source->default_value) {
      Status status = CheckParamValue(*target, *source->default_value);
      if (!status.ok()) {
        return Error(param.mark, step, field,
                     "default of pipeline param '" + source->name + "': " + status.message());
      }
    }
    return Status::Ok();
  }

  static std::string TypeText(const ParamSpec& spec) {
    std::string text = spec.type == ParamType::kInt || spec.type == ParamType::kEnum ? "an " : "a ";
    text += ParamTypeName(spec.type);
    if (spec.type == ParamType::kList) text += std::string(" of ") + ParamTypeName(spec.item_type);
    return text;
  }

  // A value of `source`'s type must always be acceptable to `target` (ranges aside).
  static bool Compatible(const ParamSpec& source, const ParamSpec& target) {
    if (source.type == ParamType::kList || target.type == ParamType::kList) {
      return source.type == target.type && source.item_type == target.item_type;
    }
    if (source.type == target.type) return true;
    if (source.type == ParamType::kInt && target.type == ParamType::kFloat) return true;
    return source.type == ParamType::kEnum && target.type == ParamType::kString;
  }

  Status CheckInput(const StepSpec& step, const ModuleManifest& module, const std::string& name,
                    const Binding& binding) const {
    const PortSpec* input = module.FindInput(name);
    if (input == nullptr) {
      return Error(binding.mark, step, "inputs." + name,
                   "unknown input '" + name + "' of " + Ref(step));
    }
    KILN_ASSIGN_OR_RETURN(const PortSpec* output, UpstreamOutput(step, name, binding));
    if (output != nullptr && output->type != input->type) {
      return Error(binding.mark, step, "inputs." + name,
                   "'" + binding.step + "." + binding.output + "' is a " +
                       ArtifactTypeName(output->type) + ", but input '" + name + "' expects a " +
                       ArtifactTypeName(input->type));
    }
    return Status::Ok();
  }

  // The output a step-output binding points at; nullptr for datasets and files.
  Result<const PortSpec*> UpstreamOutput(const StepSpec& step, const std::string& name,
                                         const Binding& binding) const {
    if (binding.kind != Binding::Kind::kStepOutput) return static_cast<const PortSpec*>(nullptr);
    const std::string field = "inputs." + name;
    const StepSpec* upstream = spec_.FindStep(binding.step);
    if (upstream == nullptr) {
      return Error(binding.mark, step, field, "unknown step '" + binding.step + "'");
    }
    const PortSpec* output = nullptr;
    if (upstream->is_inline()) {
      auto it = upstream->outputs.find(binding.output);
      if (it != upstream->outputs.end()) output = &it->second;
    } else if (const ModuleManifest* m = library_.Find(upstream->module, upstream->version)) {
      output = m->FindOutput(binding.output);
    } else {
      return static_cast<const PortSpec*>(nullptr);  // reported at the upstream step itself
    }
    if (output == nullptr) {
      return Error(binding.mark, step, field,
                   "step '" + binding.step + "' has no output '" + binding.output + "'");
    }
    return output;
  }

  const PipelineSpec& spec_;
  const ModuleLibrary& library_;
};

}  // namespace

Status ValidatePipeline(const PipelineSpec& spec, const ModuleLibrary& library) {
  return Validator(spec, library).Run();
}

}  // namespace kiln::pipeline
