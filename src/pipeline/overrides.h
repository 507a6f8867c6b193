// Hydra's command-line override grammar, as `kiln run` takes it:
//   lr=0.1  +train.new=2  ++x=1  ~train.eta  'name="a b"'  tags=[a,'b c']
//   lr=0.01,0.1  lr=choice(0.01,0.1)  depth=range(3,9,3)  lr=interval(0.001,0.1)
// Values: unquoted ints, floats, bools and bare strings (any printable character but whitespace
// and , ( ) [ ] { } ' " \; a backslash escapes one of those; `${...}` is kept verbatim), quoted
// strings ('...' or "..."; \' \" and \\ are escapes, other backslashes stay), lists (nested
// allowed), and `key=` for the empty string. Unquoted `null` is an error (Kiln has no null:
// quote it for the string, or use ~KEY to delete). Dicts are not supported.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pipeline/param_value.h"

namespace kiln::pipeline {

// The right-hand side of an override: one value or a sweep.
struct OverrideValue {
  enum class Kind { kValue, kChoice, kRange, kInterval };
  Kind kind = Kind::kValue;
  ParamLiteral value;  // kValue; marks are {0, 0}
  // kValue: the scalar was quoted, or (for a list) some item at any depth was. Quoted values
  // are always strings when a type is inferred.
  bool quoted = false;
  std::vector<ParamLiteral> choices;  // kChoice
  std::vector<bool> choices_quoted;   // kChoice: `quoted` of each choice
  // kRange, Hydra (and Python) semantics: stop exclusive, step defaults to 1, may be negative,
  // never 0; range(stop) starts at 0.
  double start = 0, stop = 0, step = 1;
  // kRange: all bounds written as ints (values are ints). kInterval: both bounds written as
  // ints (sampled values are ints, see sweep.h).
  bool integer = false;
  double low = 0, high = 0;  // kInterval; low < high
};

struct Override {
  enum class Op { kSet, kAdd /* +key=v */, kForceAdd /* ++key=v */, kDelete /* ~key[=v] */ };
  Op op = Op::kSet;
  std::string key;         // dotted: segments of letters, digits, '_' and '-'
  bool has_value = false;  // false only for ~key
  OverrideValue value;
  std::string text;    // as given (for points made by sweep.h: [+|++]key=value)
  bool swept = false;  // set by ExpandGrid/SamplePoints on the values they chose
};

// Parses one override. Errors: kInvalidArgument "override '<text>': column <n>: <problem>"
// (1-based column in <text>) for a missing or malformed key, an unterminated quote, an empty
// choice/list item, an unknown function, range step 0, interval low >= high, whitespace in an
// unquoted value, and so on; "override '<text>': missing '='" when no value is given.
Result<Override> ParseOverride(std::string_view text);

// Parses all overrides, in order. Errors: those of ParseOverride, and kInvalidArgument when two
// overrides address the same target (compared by CanonicalKey, so `lr` and `params.lr` clash).
Result<std::vector<Override>> ParseOverrides(const std::vector<std::string>& texts);

// True if the override is a choice, range or interval sweep.
bool IsSweep(const Override& override);

// What a key addresses, decided from the key's syntax alone:
//   NAME, params.NAME                          -> pipeline param NAME
//   STEP.PARAM, STEP.params.PARAM              -> step param (steps.STEP.... works too)
//   STEP.timeout_seconds, STEP.retries, STEP.resources.cpus, STEP.resources.memory_mb -> field
// `params.X` is always the pipeline param; use STEP.params.retries for a module param named
// like a field.
struct OverrideTarget {
  enum class Kind { kPipelineParam, kStepParam, kStepField };
  Kind kind = Kind::kPipelineParam;
  std::string step;  // kStepParam, kStepField
  std::string name;  // the param, or the field: "timeout_seconds", "retries", "resources.cpus"...
};

// The target of a well-formed key. Errors: kInvalidArgument "unknown key form 'a.b.c' (...)".
Result<OverrideTarget> ResolveKey(std::string_view key);

// "NAME", "STEP.params.PARAM" or "STEP.FIELD": equal for keys addressing the same target.
std::string CanonicalKey(const OverrideTarget& target);

// The path used in messages: "params.NAME", "steps.STEP.params.PARAM" or "steps.STEP.FIELD".
std::string TargetPath(const OverrideTarget& target);

// The value in override syntax, e.g. 0.1, abc, 'a b', [1,2]. Strings that would not read back
// as the same bare text are single-quoted. Never fails.
std::string FormatValue(const ParamLiteral& literal);

// Like FormatValue, but keeps `value.quoted` visible (quotes a quoted "3"); for kValue only.
std::string FormatOverrideValue(const OverrideValue& value);

// The number of values of a kRange value (0 when empty), saturating at 2^62.
uint64_t RangeSize(const OverrideValue& range);

// The index-th value of a kRange value (index < RangeSize): an int, or a float that always shows
// a '.' or an exponent (e.g. 1.0), so that its type survives inference.
ParamLiteral RangeItem(const OverrideValue& range, uint64_t index);

// A float as a literal scalar: at most `digits` significant digits, always with '.' or 'e'.
std::string FormatFloat(double number, int digits = 15);

}  // namespace kiln::pipeline
