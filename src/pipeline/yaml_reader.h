// Typed, position-aware reads from yaml-cpp nodes, shared by the manifest and pipeline parsers.
// Every error is MarkedError(file, node position, field path, ...). No yaml-cpp exception
// escapes these functions. Not thread-safe for a shared node (yaml-cpp nodes are not).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pipeline/source_mark.h"

namespace kiln::pipeline {

// The 1-based position of `node`; {0, 0} for a node without a position (e.g. a missing value).
SourceMark MarkOf(const YAML::Node& node);

// How `node` reads in a message: "'abc'", "a list", "a map" or "nothing".
std::string Describe(const YAML::Node& node);

// Most nodes and scalar bytes a document may stand for once its aliases are expanded. yaml-cpp
// shares an aliased node, but every walk over the document visits it once per alias, so a small
// file of nested aliases ("billion laughs") would cost billions of steps to read. Parsing costs
// ~3 us of CPU per node, so 50,000 nodes (a pipeline of ~6,000 steps) parse in ~0.15 s.
inline constexpr size_t kMaxYamlNodes = 50000;
inline constexpr size_t kMaxYamlScalarBytes = size_t{16} << 20;

// Parses one YAML document. Errors: kInvalidArgument "<file>:<line>:<col>: YAML syntax
// error: ..." with the parser's position, "<file>:1:1: the file is empty", or "<file>:1:1: the
// document expands to more than ..." when it stands for more than kMaxYamlNodes nodes or
// kMaxYamlScalarBytes of scalars with its aliases expanded (checked by a walk that stops at the
// limit, so the check costs at most that much).
Result<YAML::Node> LoadYaml(std::string_view text, std::string_view file);

// The file name and the error format of one document being read.
class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  // An error at `node`, or at `fallback` when `node` has no position.
  Status Error(const YAML::Node& node, std::string_view path, std::string_view what,
               SourceMark fallback = {}) const;
  // OK if `node` is a map whose keys are all in `allowed` and appear once; else names the key.
  Status CheckMap(const YAML::Node& node, std::string_view path,
                  std::initializer_list<std::string_view> allowed) const;
  // OK if `node` is a map (any keys, each once). Errors name the duplicate key.
  Status CheckAnyMap(const YAML::Node& node, std::string_view path) const;
  Result<std::string> ReadString(const YAML::Node& node, std::string_view path) const;
  Result<int64_t> ReadInt(const YAML::Node& node, std::string_view path) const;
  Result<double> ReadNumber(const YAML::Node& node, std::string_view path) const;
  Result<bool> ReadBool(const YAML::Node& node, std::string_view path) const;
  // A list of scalars.
  Result<std::vector<std::string>> ReadStringList(const YAML::Node& node,
                                                  std::string_view path) const;
  // A map of scalar values.
  Result<std::map<std::string, std::string>> ReadStringMap(const YAML::Node& node,
                                                           std::string_view path) const;

 private:
  std::string file_;
};

// Scalar conversions shared with param values; false when `text` is not of that type.
bool ParseIntText(std::string_view text, int64_t* out);
bool ParseNumberText(std::string_view text, double* out);
bool ParseBoolText(std::string_view text, bool* out);

// Loads one document from `file` and reads it with `read(reader, root)`. A yaml-cpp
// exception thrown while reading becomes a positioned kInvalidArgument like any other error.
template <typename T, typename ReadFn>
Result<T> ReadYamlDocument(std::string_view text, std::string_view file, ReadFn read) {
  YamlReader reader{std::string(file)};
  try {
    KILN_ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(text, file));
    return read(reader, root);
  } catch (const YAML::Exception& e) {
    return MarkedError(file, {e.mark.line + 1, e.mark.column + 1}, "", e.msg);
  }
}

}  // namespace kiln::pipeline
