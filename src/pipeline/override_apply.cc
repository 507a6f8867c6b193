#include "pipeline/override_apply.h"

#include <algorithm>
#include <cmath>

#include "pipeline/param_spec_yaml.h"
#include "pipeline/yaml_reader.h"

namespace kiln::pipeline {
namespace {

constexpr std::string_view kReferencePrefix = "${params.";

Status OverrideError(const Override& o, std::string_view what) {
  return InvalidArgument("override '" + o.text + "': " + std::string(what));
}

// ConvertLiteral prefixes "<file>:<line>:<col>: "; override literals have neither, so drop it.
std::string StripMark(const std::string& message) {
  if (message.empty() || message[0] != ':') return message;
  const size_t colon = message.find(": ");
  return colon == std::string::npos ? message : message.substr(colon + 2);
}

Result<ParamValue> Convert(const ParamSpec& spec, const ParamLiteral& literal,
                           const std::string& path) {
  Result<ParamValue> value = ConvertLiteral(spec, literal, "", path);
  if (!value.ok()) return InvalidArgument(StripMark(value.status().message()));
  return value;
}

std::string JoinNames(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

template <typename T>
std::string NamesOf(const std::vector<T>& items) {
  std::vector<std::string> names;
  for (const T& item : items) names.push_back(item.name);
  return JoinNames(names);
}

// True (setting *name) if `literal` is exactly "${params.NAME}".
bool IsReference(const ParamLiteral& literal, std::string* name) {
  const std::string& text = literal.scalar;
  if (literal.is_list || text.rfind(kReferencePrefix, 0) != 0 || text.back() != '}') return false;
  *name = text.substr(kReferencePrefix.size(), text.size() - kReferencePrefix.size() - 1);
  return IsIdentifier(*name);
}

bool HasInterpolation(const ParamLiteral& literal) {
  if (!literal.is_list) return literal.scalar.find("${") != std::string::npos;
  return std::any_of(literal.items.begin(), literal.items.end(), HasInterpolation);
}

ParamType InferScalarType(const std::string& text, bool quoted) {
  int64_t whole = 0;
  double number = 0;
  bool flag = false;
  if (quoted) return ParamType::kString;
  if (ParseIntText(text, &whole)) return ParamType::kInt;
  if (ParseNumberText(text, &number)) return ParamType::kFloat;
  if (ParseBoolText(text, &flag)) return ParamType::kBool;
  return ParamType::kString;
}

ParamType CommonType(ParamType a, ParamType b) {
  if (a == b) return a;
  const bool numbers = (a == ParamType::kInt || a == ParamType::kFloat) &&
                       (b == ParamType::kInt || b == ParamType::kFloat);
  return numbers ? ParamType::kFloat : ParamType::kString;
}

std::string ShowStepParam(const StepParam& param) {
  return param.is_reference ? std::string(kReferencePrefix) + param.reference + "}"
                            : FormatValue(param.literal);
}

// Applies the overrides of one point to its own copy of the spec.
class Applier {
 public:
  Applier(const ModuleLibrary& library, PipelineSpec spec)
      : library_(library), spec_(std::move(spec)) {}
  Status Apply(const Override& o);
  Status Finish() const;
  PipelineSpec TakeSpec() { return std::move(spec_); }

 private:
  struct Reference {
    const Override* source;
    std::string path;
    std::string param;
  };

  Status ApplyPipelineParam(const Override& o, const std::string& name);
  Status DeletePipelineParam(const Override& o, std::vector<ParamSpec>::iterator it);
  Status ApplyStepParam(const Override& o, StepSpec* step, const std::string& name);
  Status DeleteStepParam(const Override& o, StepSpec* step, const std::string& name,
                         const ParamSpec* declared);
  Result<StepParam> MakeStepParam(const Override& o, const ParamSpec& declared,
                                  const std::string& path);
  Status ApplyStepField(const Override& o, StepSpec* step, const std::string& field);
  Result<StepSpec*> FindStep(const Override& o, const std::string& name);

  const ModuleLibrary& library_;
  PipelineSpec spec_;
  std::vector<Reference> references_;                             // set by overrides
  std::vector<std::pair<const Override*, std::string>> deleted_;  // pipeline params removed
};

Status Applier::Apply(const Override& o) {
  if (!o.has_value && o.op != Override::Op::kDelete) return OverrideError(o, "missing value");
  Result<OverrideTarget> target = ResolveKey(o.key);
  if (!target.ok()) return OverrideError(o, target.status().message());
  if (target->kind == OverrideTarget::Kind::kPipelineParam) {
    return ApplyPipelineParam(o, target->name);
  }
  KILN_ASSIGN_OR_RETURN(StepSpec * step, FindStep(o, target->step));
  if (target->kind == OverrideTarget::Kind::kStepField) {
    return ApplyStepField(o, step, target->name);
  }
  return ApplyStepParam(o, step, target->name);
}

Result<StepSpec*> Applier::FindStep(const Override& o, const std::string& name) {
  for (StepSpec& step : spec_.steps) {
    if (step.name == name) return &step;
  }
  return OverrideError(o, "unknown step '" + name + "' (steps: " + NamesOf(spec_.steps) + ")");
}

Status Applier::ApplyPipelineParam(const Override& o, const std::string& name) {
  const std::string path = "params." + name;
  auto it = std::find_if(spec_.params.begin(), spec_.params.end(),
                         [&](const ParamSpec& p) { return p.name == name; });
  const bool declared = it != spec_.params.end();
  const std::string known = " (params: " + NamesOf(spec_.params) + ")";
  if (o.op == Override::Op::kDelete) {
    if (!declared) return OverrideError(o, path + " is not declared" + known);
    return DeletePipelineParam(o, it);
  }
  if (o.op == Override::Op::kAdd && declared) {
    return OverrideError(o, path + " is already declared; use " + o.key + "=... to set it");
  }
  if (o.op == Override::Op::kSet && !declared) {
    return OverrideError(o,
                         path + " is not declared" + known + "; use +" + o.key + "=... to add it");
  }
  if (HasInterpolation(o.value.value)) {
    return OverrideError(o, path + ": a pipeline param cannot hold a ${...} reference");
  }
  if (!declared) {
    Result<ParamSpec> added = InferParamSpec(name, o.value);
    if (!added.ok()) return OverrideError(o, added.status().message());
    spec_.params.push_back(std::move(added).value());
    return Status::Ok();
  }
  Result<ParamValue> value = Convert(*it, o.value.value, path);
  if (!value.ok()) return OverrideError(o, value.status().message());
  it->default_value = std::move(value).value();
  it->required = false;
  return Status::Ok();
}

Status Applier::DeletePipelineParam(const Override& o, std::vector<ParamSpec>::iterator it) {
  const std::string path = "params." + it->name;
  if (o.has_value) {
    Result<ParamValue> value = Convert(*it, o.value.value, path);
    if (!value.ok()) return OverrideError(o, value.status().message());
    if (!it->default_value || !(*it->default_value == *value)) {
      const std::string current = it->default_value ? ToString(*it->default_value) : "unset";
      return OverrideError(o, path + " is " + current + ", not " + FormatOverrideValue(o.value));
    }
  }
  deleted_.emplace_back(&o, it->name);
  spec_.params.erase(it);
  return Status::Ok();
}

Status Applier::ApplyStepParam(const Override& o, StepSpec* step, const std::string& name) {
  const std::string path = "steps." + step->name + ".params." + name;
  if (step->is_inline()) {
    return OverrideError(o, "steps." + step->name + " is an inline command and has no params");
  }
  const ModuleManifest* module = library_.Find(step->module, step->version);
  const std::string uses = step->module + "@" + step->version;
  const ParamSpec* declared = module ? module->FindParam(name) : nullptr;
  if (o.op == Override::Op::kDelete) return DeleteStepParam(o, step, name, declared);
  if (!module) {
    Status usable = library_.CheckUsable(step->module, step->version);
    return OverrideError(o, "steps." + step->name + ": " +
                                (usable.ok() ? "unknown module " + uses : usable.message()));
  }
  if (!declared) {
    return OverrideError(o, path + ": " + uses + " has no param '" + name +
                                "' (params: " + NamesOf(module->params) + ")");
  }
  if (o.op == Override::Op::kAdd && step->params.count(name)) {
    return OverrideError(
        o, path + " is already set in the pipeline file; use " + o.key + "=... to override it");
  }
  KILN_ASSIGN_OR_RETURN(StepParam param, MakeStepParam(o, *declared, path));
  step->params[name] = std::move(param);
  return Status::Ok();
}

Result<StepParam> Applier::MakeStepParam(const Override& o, const ParamSpec& declared,
                                         const std::string& path) {
  StepParam param;
  if (IsReference(o.value.value, &param.reference)) {
    param.is_reference = true;
    references_.push_back({&o, path, param.reference});
    return param;
  }
  if (HasInterpolation(o.value.value)) {
    return OverrideError(o, path + ": expected a value or a whole \"${params.NAME}\" reference");
  }
  Result<ParamValue> value = Convert(declared, o.value.value, path);
  if (!value.ok()) return OverrideError(o, value.status().message());
  param.literal = o.value.value;
  return param;
}

Status Applier::DeleteStepParam(const Override& o, StepSpec* step, const std::string& name,
                                const ParamSpec* declared) {
  const std::string path = "steps." + step->name + ".params." + name;
  auto it = step->params.find(name);
  if (it == step->params.end()) return OverrideError(o, path + " is not set in the pipeline file");
  if (o.has_value) {
    const StepParam& current = it->second;
    std::string reference;
    const bool wants_reference = IsReference(o.value.value, &reference);
    bool same = false;
    if (current.is_reference || wants_reference) {
      same = current.is_reference && current.reference == reference;
    } else if (declared) {
      Result<ParamValue> wanted = Convert(*declared, o.value.value, path);
      if (!wanted.ok()) return OverrideError(o, wanted.status().message());
      Result<ParamValue> now = Convert(*declared, current.literal, path);
      same = now.ok() && *now == *wanted;
    } else {
      same = FormatValue(current.literal) == FormatValue(o.value.value);
    }
    if (!same) {
      return OverrideError(
          o, path + " is " + ShowStepParam(current) + ", not " + FormatOverrideValue(o.value));
    }
  }
  step->params.erase(it);
  return Status::Ok();
}

double FieldValue(const StepSpec& step, const std::string& field) {
  if (field == "timeout_seconds") return static_cast<double>(step.timeout_seconds);
  if (field == "retries") return static_cast<double>(step.retries);
  if (field == "resources.cpus") return step.resources.cpus;
  return static_cast<double>(step.resources.memory_mb);
}

void SetField(StepSpec* step, const std::string& field, double value) {
  if (field == "timeout_seconds") step->timeout_seconds = static_cast<int64_t>(value);
  if (field == "retries") step->retries = static_cast<int64_t>(value);
  if (field == "resources.cpus") step->resources.cpus = value;
  if (field == "resources.memory_mb") step->resources.memory_mb = static_cast<int64_t>(value);
}

// The value of a step field as written: an int >= 0, or for cpus a number > 0.
Result<double> ParseField(const OverrideValue& value, const std::string& field,
                          const std::string& path) {
  const std::string& text = value.value.scalar;
  const std::string shown = value.value.is_list ? "a list" : "'" + text + "'";
  if (field == "resources.cpus") {
    double cpus = 0;
    if (value.value.is_list || !ParseNumberText(text, &cpus) || !std::isfinite(cpus) || cpus <= 0) {
      return InvalidArgument(path + ": expected a number > 0, found " + shown);
    }
    return cpus;
  }
  int64_t number = 0;
  if (value.value.is_list || !ParseIntText(text, &number) || number < 0) {
    return InvalidArgument(path + ": expected an int >= 0, found " + shown);
  }
  return static_cast<double>(number);
}

Status Applier::ApplyStepField(const Override& o, StepSpec* step, const std::string& field) {
  const std::string path = "steps." + step->name + "." + field;
  if (o.op == Override::Op::kAdd) {
    return OverrideError(o, path + " always exists; use " + o.key + "=... to set it");
  }
  double value = field == "resources.cpus" ? 1 : 0;  // the default, for a delete
  if (o.has_value) {
    Result<double> parsed = ParseField(o.value, field, path);
    if (!parsed.ok()) return OverrideError(o, parsed.status().message());
    const double current = FieldValue(*step, field);
    if (o.op == Override::Op::kDelete && *parsed != current) {
      const std::string shown = field == "resources.cpus"
                                    ? FormatFloat(current)
                                    : std::to_string(static_cast<int64_t>(current));
      return OverrideError(o, path + " is " + shown + ", not " + o.value.value.scalar);
    }
    if (o.op != Override::Op::kDelete) value = *parsed;
  }
  SetField(step, field, value);
  return Status::Ok();
}

Status Applier::Finish() const {
  for (const Reference& ref : references_) {
    if (!spec_.FindParam(ref.param)) {
      return OverrideError(*ref.source,
                           ref.path + ": ${params." + ref.param +
                               "} names no pipeline param (params: " + NamesOf(spec_.params) + ")");
    }
  }
  for (const auto& [source, name] : deleted_) {
    if (spec_.FindParam(name)) continue;  // declared again by a later override
    for (const StepSpec& step : spec_.steps) {
      for (const auto& [param_name, param] : step.params) {
        if (!param.is_reference || param.reference != name) continue;
        return OverrideError(*source, "params." + name + " is still used by steps." + step.name +
                                          ".params." + param_name);
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ParamSpec> InferParamSpec(const std::string& name, const OverrideValue& value) {
  const std::string path = "params." + name;
  if (!IsIdentifier(name)) {
    return InvalidArgument(path +
                           ": not a valid param name (a letter or '_', then letters, "
                           "digits or '_')");
  }
  ParamSpec spec;
  spec.name = name;
  const ParamLiteral& literal = value.value;
  spec.type = literal.is_list ? ParamType::kList : InferScalarType(literal.scalar, value.quoted);
  for (size_t i = 0; i < literal.items.size(); ++i) {
    const ParamLiteral& item = literal.items[i];
    if (item.is_list) return InvalidArgument(path + ": nested lists cannot be declared");
    const ParamType type = InferScalarType(item.scalar, value.quoted);
    spec.item_type = i == 0 ? type : CommonType(spec.item_type, type);
  }
  KILN_ASSIGN_OR_RETURN(ParamValue typed, Convert(spec, literal, path));
  spec.default_value = std::move(typed);
  return spec;
}

Status ApplyOverrides(const std::vector<Override>& point, const ModuleLibrary& library,
                      PipelineSpec* spec) {
  for (const Override& o : point) {
    if (IsSweep(o)) {
      return OverrideError(o, "is a sweep; expand it first (ExpandGrid or SamplePoints)");
    }
  }
  Applier applier(library, *spec);
  for (const Override& o : point) KILN_RETURN_IF_ERROR(applier.Apply(o));
  KILN_RETURN_IF_ERROR(applier.Finish());
  *spec = applier.TakeSpec();
  return Status::Ok();
}

}  // namespace kiln::pipeline
