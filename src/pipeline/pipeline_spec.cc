#include "pipeline/pipeline_spec.h"

#include <algorithm>

#include "pipeline/param_spec_yaml.h"
#include "pipeline/yaml_reader.h"

namespace kiln::pipeline {
namespace {

constexpr std::string_view kReferencePrefix = "${params.";

Result<Binding> ParseBinding(const YamlReader& reader, const YAML::Node& node,
                             const std::string& path) {
  KILN_ASSIGN_OR_RETURN(std::string text, reader.ReadString(node, path));
  Binding binding;
  binding.mark = MarkOf(node);
  if (text.rfind("dataset:", 0) == 0) {
    const std::string ref = text.substr(8);
    const size_t at = ref.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == ref.size()) {
      return reader.Error(node, path, "expected dataset:NAME@VERSION, found '" + text + "'");
    }
    binding.kind = Binding::Kind::kDataset;
    binding.dataset = ref.substr(0, at);
    binding.version = ref.substr(at + 1);
    return binding;
  }
  if (text.rfind("file:", 0) == 0 || text.find('/') != std::string::npos) {
    binding.kind = Binding::Kind::kFile;
    binding.path = text.rfind("file:", 0) == 0 ? text.substr(5) : text;
    if (binding.path.empty()) return reader.Error(node, path, "empty file path");
    return binding;
  }
  const size_t dot = text.find('.');
  if (dot == std::string::npos || !IsIdentifier(text.substr(0, dot)) ||
      !IsIdentifier(text.substr(dot + 1))) {
    return reader.Error(
        node, path,
        "expected STEP.OUTPUT, dataset:NAME@VERSION or file:PATH, found '" + text + "'");
  }
  binding.step = text.substr(0, dot);
  binding.output = text.substr(dot + 1);
  return binding;
}

Result<StepParam> ParseStepParam(const YamlReader& reader, const YAML::Node& node,
                                 const std::string& path, SourceMark key_mark) {
  StepParam param;
  KILN_ASSIGN_OR_RETURN(param.literal, ReadLiteral(reader, node, path, key_mark));
  param.mark = param.literal.mark;
  const std::string& text = param.literal.scalar;
  if (param.literal.is_list || text.find("${") == std::string::npos) return param;
  if (text.rfind(kReferencePrefix, 0) != 0 || text.back() != '}' ||
      !IsIdentifier(
          text.substr(kReferencePrefix.size(), text.size() - kReferencePrefix.size() - 1))) {
    return reader.Error(
        node, path,
        "expected a value or a whole \"${params.NAME}\" reference, found '" + text + "'");
  }
  param.is_reference = true;
  param.reference = text.substr(kReferencePrefix.size(), text.size() - kReferencePrefix.size() - 1);
  return param;
}

Status ParseUses(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                 StepSpec* step) {
  KILN_ASSIGN_OR_RETURN(std::string uses, reader.ReadString(node, path));
  const size_t at = uses.find('@');
  if (at == std::string::npos || !IsValidModuleName(uses.substr(0, at)) ||
      !IsValidVersion(uses.substr(at + 1))) {
    return reader.Error(node, path,
                        "expected MODULE@VERSION (e.g. xgboost-train@1.2.0), found '" + uses + "'");
  }
  step->module = uses.substr(0, at);
  step->version = uses.substr(at + 1);
  step->uses_mark = MarkOf(node);
  return Status::Ok();
}

Status ParseResources(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                      Resources* resources) {
  KILN_RETURN_IF_ERROR(reader.CheckMap(node, path, {"cpus", "memory_mb"}));
  if (node["cpus"]) {
    KILN_ASSIGN_OR_RETURN(resources->cpus, reader.ReadNumber(node["cpus"], path + ".cpus"));
    if (resources->cpus <= 0) return reader.Error(node["cpus"], path + ".cpus", "must be > 0");
  }
  if (node["memory_mb"]) {
    KILN_ASSIGN_OR_RETURN(resources->memory_mb,
                          reader.ReadInt(node["memory_mb"], path + ".memory_mb"));
    if (resources->memory_mb < 0) {
      return reader.Error(node["memory_mb"], path + ".memory_mb", "must be >= 0");
    }
  }
  return Status::Ok();
}

Result<int64_t> ReadNonNegative(const YamlReader& reader, const YAML::Node& node,
                                const std::string& path) {
  KILN_ASSIGN_OR_RETURN(int64_t value, reader.ReadInt(node, path));
  if (value < 0) return reader.Error(node, path, "must be >= 0, found " + std::to_string(value));
  return value;
}

Status ParseInlineParts(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                        StepSpec* step) {
  KILN_ASSIGN_OR_RETURN(step->command, reader.ReadStringList(node["command"], path + ".command"));
  if (step->command.empty()) return reader.Error(node["command"], path + ".command", "is empty");
  for (const YAML::Node& arg : node["command"]) step->command_marks.push_back(MarkOf(arg));
  if (node["env"]) {
    KILN_ASSIGN_OR_RETURN(step->env, reader.ReadStringMap(node["env"], path + ".env"));
    for (const auto& entry : node["env"]) {
      step->env_marks[entry.first.as<std::string>()] = MarkOf(entry.second);
    }
  }
  if (!node["outputs"]) return Status::Ok();
  const YAML::Node outputs = node["outputs"];
  KILN_RETURN_IF_ERROR(reader.CheckAnyMap(outputs, path + ".outputs"));
  for (const auto& entry : outputs) {
    PortSpec port;
    port.name = entry.first.Scalar();
    port.mark = MarkOf(entry.first);
    const std::string port_path = path + ".outputs." + port.name;
    if (!IsIdentifier(port.name)) return reader.Error(entry.first, port_path, "not a valid name");
    KILN_ASSIGN_OR_RETURN(std::string type, reader.ReadString(entry.second, port_path));
    if (!ArtifactTypeFromName(type, &port.type)) {
      return reader.Error(entry.second, port_path, "unknown artifact type '" + type + "'");
    }
    step->outputs[port.name] = port;
  }
  return Status::Ok();
}

Status ParseRunner(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                   StepSpec* step) {
  const bool has_uses = static_cast<bool>(node["uses"]);
  const bool has_command = static_cast<bool>(node["command"]);
  if (has_uses == has_command) {
    return reader.Error(has_uses ? node["command"] : node, has_uses ? path + ".command" : path,
                        "a step needs exactly one of 'uses' and 'command'", step->mark);
  }
  if (has_uses) {
    for (const char* key : {"env", "outputs"}) {
      if (node[key]) {
        return reader.Error(node[key], path + "." + key,
                            "only an inline command step declares '" + std::string(key) + "'");
      }
    }
    return ParseUses(reader, node["uses"], path + ".uses", step);
  }
  return ParseInlineParts(reader, node, path, step);
}

Status ParseBindingsAndParams(const YamlReader& reader, const YAML::Node& node,
                              const std::string& path, StepSpec* step) {
  if (node["inputs"]) {
    KILN_RETURN_IF_ERROR(reader.CheckAnyMap(node["inputs"], path + ".inputs"));
    for (const auto& entry : node["inputs"]) {
      const std::string name = entry.first.Scalar();
      KILN_ASSIGN_OR_RETURN(step->inputs[name],
                            ParseBinding(reader, entry.second, path + ".inputs." + name));
    }
  }
  if (node["params"]) {
    KILN_RETURN_IF_ERROR(reader.CheckAnyMap(node["params"], path + ".params"));
    for (const auto& entry : node["params"]) {
      const std::string name = entry.first.Scalar();
      KILN_ASSIGN_OR_RETURN(
          step->params[name],
          ParseStepParam(reader, entry.second, path + ".params." + name, MarkOf(entry.first)));
    }
  }
  return Status::Ok();
}

// `cache: BOOL` and `deps: [PATH, ...]` (checked against the pipeline's folder when planned).
Status ParseCacheSettings(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                          StepSpec* step) {
  if (node["cache"]) {
    KILN_ASSIGN_OR_RETURN(step->cache, reader.ReadBool(node["cache"], path + ".cache"));
  }
  if (!node["deps"]) return Status::Ok();
  KILN_ASSIGN_OR_RETURN(step->deps, reader.ReadStringList(node["deps"], path + ".deps"));
  for (size_t i = 0; i < step->deps.size(); ++i) {
    const YAML::Node item = node["deps"][i];
    if (step->deps[i].empty()) {
      return reader.Error(item, path + ".deps[" + std::to_string(i) + "]", "is empty");
    }
    step->deps_marks.push_back(MarkOf(item));
  }
  return Status::Ok();
}

Result<StepSpec> ParseStep(const YamlReader& reader, const YAML::Node& key,
                           const YAML::Node& node) {
  StepSpec step;
  step.name = key.Scalar();
  step.mark = MarkOf(key);
  const std::string path = "steps." + step.name;
  if (!IsIdentifier(step.name)) {
    return reader.Error(key, path, "'" + step.name + "' is not a valid step name");
  }
  KILN_RETURN_IF_ERROR(
      reader.CheckMap(node, path,
                      {"description", "uses", "command", "env", "inputs", "outputs", "params",
                       "resources", "timeout_seconds", "retries", "cache", "deps"}));
  KILN_RETURN_IF_ERROR(ParseRunner(reader, node, path, &step));
  KILN_RETURN_IF_ERROR(ParseBindingsAndParams(reader, node, path, &step));
  if (node["resources"]) {
    KILN_RETURN_IF_ERROR(
        ParseResources(reader, node["resources"], path + ".resources", &step.resources));
  }
  if (node["timeout_seconds"]) {
    KILN_ASSIGN_OR_RETURN(step.timeout_seconds, ReadNonNegative(reader, node["timeout_seconds"],
                                                                path + ".timeout_seconds"));
  }
  if (node["retries"]) {
    KILN_ASSIGN_OR_RETURN(step.retries,
                          ReadNonNegative(reader, node["retries"], path + ".retries"));
  }
  KILN_RETURN_IF_ERROR(ParseCacheSettings(reader, node, path, &step));
  return step;
}

Status ParseSteps(const YamlReader& reader, const YAML::Node& node, PipelineSpec* spec) {
  if (!node.IsMap()) return reader.Error(node, "steps", "expected a map, found " + Describe(node));
  std::map<std::string, SourceMark> seen;
  for (const auto& entry : node) {
    const std::string name = entry.first.Scalar();
    auto [it, inserted] = seen.emplace(name, MarkOf(entry.first));
    if (!inserted) {
      return reader.Error(entry.first, "steps." + name,
                          "duplicate step name '" + name + "' (first defined at line " +
                              std::to_string(it->second.line) + ")");
    }
    KILN_ASSIGN_OR_RETURN(StepSpec step, ParseStep(reader, entry.first, entry.second));
    spec->steps.push_back(std::move(step));
  }
  if (spec->steps.empty()) return reader.Error(node, "steps", "a pipeline needs at least one step");
  return Status::Ok();
}

Result<PipelineSpec> ParseRoot(const YamlReader& reader, const YAML::Node& root) {
  KILN_RETURN_IF_ERROR(reader.CheckMap(root, "", {"name", "description", "params", "steps"}));
  PipelineSpec spec;
  spec.file = reader.file();
  if (!root["name"]) return reader.Error(root, "", "missing key 'name'");
  KILN_ASSIGN_OR_RETURN(spec.name, reader.ReadString(root["name"], "name"));
  if (!IsValidModuleName(spec.name)) {
    return reader.Error(root["name"], "name", "'" + spec.name + "' is not a valid pipeline name");
  }
  if (root["description"]) {
    KILN_ASSIGN_OR_RETURN(spec.description, reader.ReadString(root["description"], "description"));
  }
  if (root["params"]) {
    KILN_ASSIGN_OR_RETURN(spec.params, ReadParamSpecs(reader, root["params"], "params"));
  }
  if (!root["steps"]) return reader.Error(root, "", "missing key 'steps'");
  KILN_RETURN_IF_ERROR(ParseSteps(reader, root["steps"], &spec));
  return spec;
}

}  // namespace

const StepSpec* PipelineSpec::FindStep(std::string_view name) const {
  auto it =
      std::find_if(steps.begin(), steps.end(), [&](const StepSpec& s) { return s.name == name; });
  return it == steps.end() ? nullptr : &*it;
}

const ParamSpec* PipelineSpec::FindParam(std::string_view name) const {
  auto it = std::find_if(params.begin(), params.end(),
                         [&](const ParamSpec& p) { return p.name == name; });
  return it == params.end() ? nullptr : &*it;
}

Result<PipelineSpec> ParsePipeline(std::string_view text, std::string_view file_name) {
  return ReadYamlDocument<PipelineSpec>(text, file_name, ParseRoot);
}

}  // namespace kiln::pipeline
