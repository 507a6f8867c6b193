#include "pipeline/param_spec_yaml.h"

#include <cctype>

namespace kiln::pipeline {
namespace {

bool IsNumeric(ParamType type) { return type == ParamType::kInt || type == ParamType::kFloat; }

Status ReadType(const YamlReader& reader, const YAML::Node& node, std::string_view path,
                ParamType* type) {
  KILN_ASSIGN_OR_RETURN(std::string name, reader.ReadString(node, path));
  if (!ParamTypeFromName(name, type)) {
    return reader.Error(
        node, path,
        "unknown type '" + name + "' (expected int, float, bool, string, enum or list)");
  }
  return Status::Ok();
}

// Reads type, items, min, max and values, and checks they fit together.
Status ReadShape(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                 ParamSpec* spec) {
  if (!node["type"]) return reader.Error(node, path, "missing key 'type'");
  KILN_RETURN_IF_ERROR(ReadType(reader, node["type"], JoinPath(path, "type"), &spec->type));
  if (node["items"]) {
    if (spec->type != ParamType::kList) {
      return reader.Error(node["items"], JoinPath(path, "items"), "only a list has items");
    }
    KILN_RETURN_IF_ERROR(
        ReadType(reader, node["items"], JoinPath(path, "items"), &spec->item_type));
    if (spec->item_type == ParamType::kList) {
      return reader.Error(node["items"], JoinPath(path, "items"), "nested lists are not allowed");
    }
  }
  const ParamType shape = spec->type == ParamType::kList ? spec->item_type : spec->type;
  for (const char* key : {"min", "max"}) {
    if (!node[key]) continue;
    if (!IsNumeric(shape))
      return reader.Error(node[key], JoinPath(path, key),
                          std::string(key) + " applies only to int and float params");
    KILN_ASSIGN_OR_RETURN(double bound, reader.ReadNumber(node[key], JoinPath(path, key)));
    (key[1] == 'i' ? spec->min : spec->max) = bound;
  }
  if (spec->min && spec->max && *spec->min > *spec->max) {
    return reader.Error(node["max"], JoinPath(path, "max"), "max is below min");
  }
  return Status::Ok();
}

Status ReadEnumValues(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                      ParamSpec* spec) {
  const ParamType shape = spec->type == ParamType::kList ? spec->item_type : spec->type;
  if (shape != ParamType::kEnum) {
    if (node["values"]) {
      return reader.Error(node["values"], JoinPath(path, "values"), "only an enum has values");
    }
    return Status::Ok();
  }
  if (!node["values"]) return reader.Error(node, path, "an enum needs 'values'");
  KILN_ASSIGN_OR_RETURN(spec->values,
                        reader.ReadStringList(node["values"], JoinPath(path, "values")));
  if (spec->values.empty()) {
    return reader.Error(node["values"], JoinPath(path, "values"),
                        "an enum needs at least one value");
  }
  return Status::Ok();
}

Status ReadDefaultAndFlags(const YamlReader& reader, const YAML::Node& node,
                           const std::string& path, SourceMark key_mark, ParamSpec* spec) {
  if (node["help"]) {
    KILN_ASSIGN_OR_RETURN(spec->help, reader.ReadString(node["help"], JoinPath(path, "help")));
  }
  bool required = false;
  if (node["required"]) {
    KILN_ASSIGN_OR_RETURN(required, reader.ReadBool(node["required"], JoinPath(path, "required")));
  }
  if (node["default"]) {
    const std::string default_path = JoinPath(path, "default");
    if (required) {
      return reader.Error(node["required"], JoinPath(path, "required"),
                          "a required param cannot have a default");
    }
    KILN_ASSIGN_OR_RETURN(ParamLiteral literal,
                          ReadLiteral(reader, node["default"], default_path, key_mark));
    KILN_ASSIGN_OR_RETURN(spec->default_value,
                          ConvertLiteral(*spec, literal, reader.file(), default_path));
  }
  spec->required = !spec->default_value.has_value();
  return Status::Ok();
}

Result<ParamSpec> ReadParamSpec(const YamlReader& reader, const YAML::Node& key,
                                const YAML::Node& node, const std::string& path) {
  ParamSpec spec;
  spec.name = key.Scalar();
  spec.mark = MarkOf(key);
  if (!IsIdentifier(spec.name)) {
    return reader.Error(key, path, "'" + spec.name + "' is not a valid param name");
  }
  KILN_RETURN_IF_ERROR(reader.CheckMap(
      node, path, {"type", "default", "min", "max", "values", "items", "required", "help"}));
  KILN_RETURN_IF_ERROR(ReadShape(reader, node, path, &spec));
  KILN_RETURN_IF_ERROR(ReadEnumValues(reader, node, path, &spec));
  KILN_RETURN_IF_ERROR(ReadDefaultAndFlags(reader, node, path, spec.mark, &spec));
  return spec;
}

}  // namespace

bool IsIdentifier(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

Result<ParamLiteral> ReadLiteral(const YamlReader& reader, const YAML::Node& node,
                                 std::string_view path, SourceMark fallback) {
  ParamLiteral literal;
  literal.mark = MarkOf(node);
  if (literal.mark.line == 0) literal.mark = fallback;
  if (node.IsScalar()) {
    literal.scalar = node.Scalar();
    return literal;
  }
  if (!node.IsSequence()) {
    return reader.Error(node, path, "expected a value or a list, found " + Describe(node),
                        fallback);
  }
  literal.is_list = true;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = std::string(path) + "[" + std::to_string(i) + "]";
    KILN_ASSIGN_OR_RETURN(ParamLiteral item, ReadLiteral(reader, node[i], item_path, literal.mark));
    literal.items.push_back(std::move(item));
  }
  return literal;
}

Result<std::vector<ParamSpec>> ReadParamSpecs(const YamlReader& reader, const YAML::Node& node,
                                              std::string_view path) {
  KILN_RETURN_IF_ERROR(reader.CheckAnyMap(node, path));
  std::vector<ParamSpec> specs;
  for (const auto& entry : node) {
    const std::string param_path = JoinPath(path, entry.first.Scalar());
    KILN_ASSIGN_OR_RETURN(ParamSpec spec,
                          ReadParamSpec(reader, entry.first, entry.second, param_path));
    specs.push_back(std::move(spec));
  }
  return specs;
}

}  // namespace kiln::pipeline
