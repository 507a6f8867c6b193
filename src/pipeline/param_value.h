// Typed parameter values, the declarations that constrain them, and their checks.
// Pure value types and functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/status.h"
#include "pipeline/source_mark.h"

namespace kiln::pipeline {

enum class ParamType { kInt, kFloat, kBool, kString, kEnum, kList };

// "int", "float", "bool", "string", "enum" or "list".
const char* ParamTypeName(ParamType type);
// The type named `name`; false when there is none.
bool ParamTypeFromName(std::string_view name, ParamType* type);

// One value: an int, a float, a bool, a string (also enum values) or a list of values.
struct ParamValue {
  std::variant<int64_t, double, bool, std::string, std::vector<ParamValue>> value;
  bool operator==(const ParamValue& other) const = default;
};

// The value as substituted into a command: 3, 0.5, true, text, or items joined by ",".
std::string ToString(const ParamValue& value);

// A declared parameter of a module or a pipeline.
struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kString;
  ParamType item_type = ParamType::kString;  // for kList: the type of each item
  std::optional<ParamValue> default_value;
  std::optional<double> min;        // kInt, kFloat (and items of such lists)
  std::optional<double> max;        // kInt, kFloat (and items of such lists)
  std::vector<std::string> values;  // kEnum (and items of enum lists)
  bool required = false;            // true when no default is declared
  std::string help;
  SourceMark mark;  // where the param is declared
};

// OK if `value` has the spec's type (an int is accepted for a float), lies within min/max and,
// for enums, is one of the values. Errors: kInvalidArgument with a message like
// "expected an int, found 'abc'" or "12 is above the maximum 10" (no position; callers add it).
Status CheckParamValue(const ParamSpec& spec, const ParamValue& value);

// A value as written in YAML, before it is typed against a spec.
struct ParamLiteral {
  bool is_list = false;
  std::string scalar;               // when !is_list
  std::vector<ParamLiteral> items;  // when is_list
  SourceMark mark;
};

// Types `literal` against `spec` and checks it. Errors: kInvalidArgument
// "<file>:<line>:<col>: <path>: expected an int, found 'abc'" at the offending item.
Result<ParamValue> ConvertLiteral(const ParamSpec& spec, const ParamLiteral& literal,
                                  std::string_view file, std::string_view path);

}  // namespace kiln::pipeline
