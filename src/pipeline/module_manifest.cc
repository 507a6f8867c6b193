#include "pipeline/module_manifest.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>

#include "pipeline/param_spec_yaml.h"
#include "pipeline/placeholders.h"
#include "pipeline/yaml_reader.h"

namespace kiln::pipeline {
namespace {

constexpr const char* kArtifactTypeNames[] = {"table", "model", "file", "dir", "plot"};

template <typename T>
const T* FindByName(const std::vector<T>& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.name == name; });
  return it == items.end() ? nullptr : &*it;
}

Result<std::vector<PortSpec>> ReadPorts(const YamlReader& reader, const YAML::Node& node,
                                        const std::string& path, bool inputs) {
  KILN_RETURN_IF_ERROR(reader.CheckAnyMap(node, path));
  std::vector<PortSpec> ports;
  for (const auto& entry : node) {
    PortSpec port;
    port.name = entry.first.Scalar();
    port.mark = MarkOf(entry.first);
    const std::string port_path = JoinPath(path, port.name);
    if (!IsIdentifier(port.name)) {
      return reader.Error(entry.first, port_path, "'" + port.name + "' is not a valid name");
    }
    if (inputs) {
      KILN_RETURN_IF_ERROR(
          reader.CheckMap(entry.second, port_path, {"type", "description", "optional"}));
    } else {
      KILN_RETURN_IF_ERROR(reader.CheckMap(entry.second, port_path, {"type", "description"}));
    }
    if (entry.second["optional"]) {
      KILN_ASSIGN_OR_RETURN(port.optional,
                            reader.ReadBool(entry.second["optional"], port_path + ".optional"));
    }
    const YAML::Node type = entry.second["type"];
    if (!type) return reader.Error(entry.second, port_path, "missing key 'type'");
    KILN_ASSIGN_OR_RETURN(std::string type_name, reader.ReadString(type, port_path + ".type"));
    if (!ArtifactTypeFromName(type_name, &port.type)) {
      return reader.Error(
          type, port_path + ".type",
          "unknown artifact type '" + type_name + "' (expected table, model, file, dir or plot)");
    }
    if (entry.second["description"]) {
      KILN_ASSIGN_OR_RETURN(port.description, reader.ReadString(entry.second["description"],
                                                                port_path + ".description"));
    }
    ports.push_back(std::move(port));
  }
  return ports;
}

Status ReadIdentity(const YamlReader& reader, const YAML::Node& root, ModuleManifest* module) {
  for (const char* key : {"name", "version"}) {
    if (!root[key]) return reader.Error(root, "", std::string("missing key '") + key + "'");
  }
  KILN_ASSIGN_OR_RETURN(module->name, reader.ReadString(root["name"], "name"));
  if (!IsValidModuleName(module->name)) {
    return reader.Error(root["name"], "name", "'" + module->name + "' is not a valid module name");
  }
  KILN_ASSIGN_OR_RETURN(module->version, reader.ReadString(root["version"], "version"));
  if (!IsValidVersion(module->version)) {
    return reader.Error(root["version"], "version",
                        "'" + module->version + "' is not a version like 1.2.0");
  }
  if (root["description"]) {
    KILN_ASSIGN_OR_RETURN(module->description,
                          reader.ReadString(root["description"], "description"));
  }
  return Status::Ok();
}

Status CheckPlaceholders(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                         const std::string& text, const ModuleManifest& module) {
  Result<std::vector<Placeholder>> found = FindPlaceholders(text);
  if (!found.ok()) return reader.Error(node, path, found.status().message());
  for (const Placeholder& p : *found) {
    const bool known = p.scope == "params"   ? module.FindParam(p.name) != nullptr
                       : p.scope == "inputs" ? module.FindInput(p.name) != nullptr
                                             : module.FindOutput(p.name) != nullptr;
    if (!known) {
      return reader.Error(node, path,
                          "'${" + p.scope + "." + p.name + "}' names no declared " +
                              p.scope.substr(0, p.scope.size() - 1));
    }
  }
  return Status::Ok();
}

Status ReadRunner(const YamlReader& reader, const YAML::Node& root, ModuleManifest* module) {
  const bool has_builtin = static_cast<bool>(root["builtin"]);
  const bool has_command = static_cast<bool>(root["command"]);
  if (has_builtin == has_command) {
    return reader.Error(has_builtin ? root["command"] : root, has_builtin ? "command" : "",
                        "a module needs exactly one of 'builtin' and 'command'");
  }
  RunnerSpec& runner = module->runner;
  if (has_builtin) {
    KILN_ASSIGN_OR_RETURN(runner.builtin, reader.ReadString(root["builtin"], "builtin"));
  } else {
    KILN_ASSIGN_OR_RETURN(runner.command, reader.ReadStringList(root["command"], "command"));
    if (runner.command.empty()) return reader.Error(root["command"], "command", "is empty");
    for (size_t i = 0; i < runner.command.size(); ++i) {
      const std::string path = "command[" + std::to_string(i) + "]";
      KILN_RETURN_IF_ERROR(
          CheckPlaceholders(reader, root["command"][i], path, runner.command[i], *module));
    }
  }
  if (root["env"]) {
    KILN_ASSIGN_OR_RETURN(runner.env, reader.ReadStringMap(root["env"], "env"));
    for (const auto& entry : root["env"]) {
      const std::string key = entry.first.Scalar();
      KILN_RETURN_IF_ERROR(
          CheckPlaceholders(reader, entry.second, "env." + key, runner.env[key], *module));
    }
  }
  return Status::Ok();
}

// `cache: false` and `side_effects: true` say the same: the step must run every time. A manifest
// that gives both must not contradict itself.
Status ReadCacheable(const YamlReader& reader, const YAML::Node& root, ModuleManifest* module) {
  std::optional<bool> cache;
  std::optional<bool> side_effects;
  if (root["cache"]) {
    KILN_ASSIGN_OR_RETURN(cache, reader.ReadBool(root["cache"], "cache"));
  }
  if (root["side_effects"]) {
    KILN_ASSIGN_OR_RETURN(side_effects, reader.ReadBool(root["side_effects"], "side_effects"));
  }
  if (cache && side_effects && *cache == *side_effects) {
    return reader.Error(root["side_effects"], "side_effects",
                        std::string("contradicts 'cache: ") + (*cache ? "true" : "false") +
                            "' (side_effects: true means cache: false)");
  }
  module->cacheable = cache ? *cache : !side_effects.value_or(false);
  return Status::Ok();
}

Result<ModuleManifest> ParseRoot(const YamlReader& reader, const YAML::Node& root) {
  KILN_RETURN_IF_ERROR(
      reader.CheckMap(root, "",
                      {"name", "version", "description", "params", "inputs", "outputs", "builtin",
                       "command", "env", "cache", "side_effects"}));
  ModuleManifest module;
  KILN_RETURN_IF_ERROR(ReadIdentity(reader, root, &module));
  if (root["params"]) {
    KILN_ASSIGN_OR_RETURN(module.params, ReadParamSpecs(reader, root["params"], "params"));
  }
  if (root["inputs"]) {
    KILN_ASSIGN_OR_RETURN(module.inputs, ReadPorts(reader, root["inputs"], "inputs", true));
  }
  if (root["outputs"]) {
    KILN_ASSIGN_OR_RETURN(module.outputs, ReadPorts(reader, root["outputs"], "outputs", false));
  }
  KILN_RETURN_IF_ERROR(ReadRunner(reader, root, &module));
  KILN_RETURN_IF_ERROR(ReadCacheable(reader, root, &module));
  return module;
}

}  // namespace

const char* ArtifactTypeName(ArtifactType type) {
  return kArtifactTypeNames[static_cast<int>(type)];
}

bool ArtifactTypeFromName(std::string_view name, ArtifactType* type) {
  for (int i = 0; i < 5; ++i) {
    if (name == kArtifactTypeNames[i]) {
      *type = static_cast<ArtifactType>(i);
      return true;
    }
  }
  return false;
}

const ParamSpec* ModuleManifest::FindParam(std::string_view name) const {
  return FindByName(params, name);
}
const PortSpec* ModuleManifest::FindInput(std::string_view name) const {
  return FindByName(inputs, name);
}
const PortSpec* ModuleManifest::FindOutput(std::string_view name) const {
  return FindByName(outputs, name);
}

bool IsValidModuleName(std::string_view name) {
  static const std::regex kPattern("[A-Za-z0-9][A-Za-z0-9_./-]*");
  return std::regex_match(name.begin(), name.end(), kPattern) && name.size() <= 200;
}

bool IsValidVersion(std::string_view version) {
  static const std::regex kPattern(
      "(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[A-Za-z0-9.-]+)?");
  return std::regex_match(version.begin(), version.end(), kPattern);
}

Result<ModuleManifest> ParseModuleManifest(std::string_view text, std::string_view file_name) {
  return ReadYamlDocument<ModuleManifest>(text, file_name, ParseRoot);
}

}  // namespace kiln::pipeline
