#include "pipeline/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <string>
#include <vector>

namespace kiln::pipeline {

SourceMark MarkOf(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return {};
  const YAML::Mark mark = node.Mark();
  // yaml-cpp marks are 0-based and -1 when unknown.
  if (mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

std::string Describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a map";
  return "'" + node.Scalar() + "'";
}

namespace {

// Walks `root` with aliases expanded (an aliased node is visited once per path to it) and stops
// as soon as a limit is passed. Iterative, so deep nesting cannot exhaust the stack.
Status CheckExpandedSize(const YAML::Node& root, std::string_view file) {
  auto too_big = [&](const std::string& what) {
    return MarkedError(file, {1, 1}, "",
                       "the document expands to more than " + what +
                           " (counting every use of an alias); simplify it");
  };
  std::vector<YAML::Node> pending{root};
  size_t nodes = 1;  // counted when found, so `pending` never holds more than the limit
  size_t scalar_bytes = 0;
  auto add = [&](const YAML::Node& node) {
    pending.push_back(node);
    return ++nodes <= kMaxYamlNodes;
  };
  while (!pending.empty()) {
    const YAML::Node node = std::move(pending.back());
    pending.pop_back();
    bool within = true;
    if (node.IsScalar()) {
      scalar_bytes += node.Scalar().size();
      if (scalar_bytes > kMaxYamlScalarBytes) {
        return too_big(std::to_string(kMaxYamlScalarBytes >> 20) + " MiB of text");
      }
    } else if (node.IsSequence()) {
      for (auto it = node.begin(); within && it != node.end(); ++it) within = add(*it);
    } else if (node.IsMap()) {
      for (auto it = node.begin(); within && it != node.end(); ++it) {
        within = add(it->first) && add(it->second);
      }
    }
    if (!within) return too_big(std::to_string(kMaxYamlNodes) + " nodes");
  }
  return Status::Ok();
}

}  // namespace

Result<YAML::Node> LoadYaml(std::string_view text, std::string_view file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    SourceMark mark{e.mark.line + 1, e.mark.column + 1};
    return MarkedError(file, mark, "", "YAML syntax error: " + e.msg);
  }
  if (!root.IsDefined() || root.IsNull()) return MarkedError(file, {1, 1}, "", "the file is empty");
  KILN_RETURN_IF_ERROR(CheckExpandedSize(root, file));
  return root;
}

Status YamlReader::Error(const YAML::Node& node, std::string_view path, std::string_view what,
                         SourceMark fallback) const {
  SourceMark mark = MarkOf(node);
  if (mark.line == 0) mark = fallback;
  return MarkedError(file_, mark, path, what);
}

Status YamlReader::CheckAnyMap(const YAML::Node& node, std::string_view path) const {
  if (!node.IsMap()) return Error(node, path, "expected a map, found " + Describe(node));
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (!seen.insert(key).second) {
      return Error(entry.first, JoinPath(path, key), "duplicate key '" + key + "'");
    }
  }
  return Status::Ok();
}

Status YamlReader::CheckMap(const YAML::Node& node, std::string_view path,
                            std::initializer_list<std::string_view> allowed) const {
  KILN_RETURN_IF_ERROR(CheckAnyMap(node, path));
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Error(entry.first, JoinPath(path, key), "unknown key '" + key + "'");
    }
  }
  return Status::Ok();
}

Result<std::string> YamlReader::ReadString(const YAML::Node& node, std::string_view path) const {
  if (!node.IsScalar()) return Error(node, path, "expected a string, found " + Describe(node));
  return node.Scalar();
}

Result<int64_t> YamlReader::ReadInt(const YAML::Node& node, std::string_view path) const {
  int64_t value = 0;
  if (!node.IsScalar() || !ParseIntText(node.Scalar(), &value)) {
    return Error(node, path, "expected an int, found " + Describe(node));
  }
  return value;
}

Result<double> YamlReader::ReadNumber(const YAML::Node& node, std::string_view path) const {
  double value = 0;
  if (!node.IsScalar() || !ParseNumberText(node.Scalar(), &value)) {
    return Error(node, path, "expected a number, found " + Describe(node));
  }
  return value;
}

Result<bool> YamlReader::ReadBool(const YAML::Node& node, std::string_view path) const {
  bool value = false;
  if (!node.IsScalar() || !ParseBoolText(node.Scalar(), &value)) {
    return Error(node, path, "expected true or false, found " + Describe(node));
  }
  return value;
}

Result<std::vector<std::string>> YamlReader::ReadStringList(const YAML::Node& node,
                                                            std::string_view path) const {
  if (!node.IsSequence()) return Error(node, path, "expected a list, found " + Describe(node));
  std::vector<std::string> items;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = std::string(path) + "[" + std::to_string(i) + "]";
    KILN_ASSIGN_OR_RETURN(std::string item, ReadString(node[i], item_path));
    items.push_back(std::move(item));
  }
  return items;
}

Result<std::map<std::string, std::string>> YamlReader::ReadStringMap(const YAML::Node& node,
                                                                     std::string_view path) const {
  KILN_RETURN_IF_ERROR(CheckAnyMap(node, path));
  std::map<std::string, std::string> values;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    KILN_ASSIGN_OR_RETURN(values[key], ReadString(entry.second, JoinPath(path, key)));
  }
  return values;
}

bool ParseIntText(std::string_view text, int64_t* out) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

bool ParseNumberText(std::string_view text, double* out) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

bool ParseBoolText(std::string_view text, bool* out) {
  if (text == "true" || text == "True" || text == "TRUE") {
    *out = true;
    return true;
  }
  if (text == "false" || text == "False" || text == "FALSE") {
    *out = false;
    return true;
  }
  return false;
}

}  // namespace kiln::pipeline
