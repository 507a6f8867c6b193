// Reading param declarations and literal values from YAML; shared by modules and pipelines.
//   params:
//     max_depth: {type: int, default: 6, min: 1, max: 20, help: "tree depth"}
//     booster:   {type: enum, values: [gbtree, dart], default: gbtree}
//     columns:   {type: list, items: string, required: true}
#pragma once

#include <yaml-cpp/yaml.h>

#include <string_view>
#include <vector>

#include "common/status.h"
#include "pipeline/param_value.h"
#include "pipeline/yaml_reader.h"

namespace kiln::pipeline {

// A scalar or a list of scalars, with its position. Errors: a map or a missing value.
Result<ParamLiteral> ReadLiteral(const YamlReader& reader, const YAML::Node& node,
                                 std::string_view path, SourceMark fallback);

// The declarations of the `params` map at `path`, in file order. Errors name the field: a bad
// name, an unknown key or type, min/max or values where they do not apply, a default that does
// not fit, or `required: true` together with a default.
Result<std::vector<ParamSpec>> ReadParamSpecs(const YamlReader& reader, const YAML::Node& node,
                                              std::string_view path);

// True for names like "max_depth": a letter or '_', then letters, digits or '_'.
bool IsIdentifier(std::string_view name);

}  // namespace kiln::pipeline
