// BuiltinStep: what a builtin module's code sees when its step runs (`kiln builtin-step FILE`).
// The runner writes FILE (exec/builtin_launch.h), a JSON object:
//   {"builtin": NAME, "step": STEP, "params": {NAME: typed value}, "inputs": {NAME: path},
//    "input_sources": {NAME: "file:PATH" | "dataset:N@V" | "step:S.OUT"},
//    "outputs": {NAME: path to write}, "metrics_file": path}
// Params arrive resolved (defaults applied, types and ranges checked against the manifest).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace kiln::ml {

class BuiltinStep {
 public:
  // Reads a request file. Errors: kInvalidArgument naming the file and the bad field.
  static Result<BuiltinStep> Load(const std::string& path);

  const std::string& builtin() const { return builtin_; }
  const std::string& step() const { return step_; }

  // The path of input / output `name`. Errors: kInvalidArgument naming the missing port.
  Result<std::string> Input(const std::string& name) const;
  Result<std::string> Output(const std::string& name) const;
  bool HasInput(const std::string& name) const { return inputs_.count(name) > 0; }
  // What input `name` is to the user, for messages: "data/iris.csv", "dataset:iris@2",
  // "step:read.table"; its path when the request does not say.
  std::string InputLabel(const std::string& name) const;

  // Typed params. Errors: kInvalidArgument when missing or of another type (naming it).
  Result<int64_t> Int(const std::string& name) const;
  Result<double> Float(const std::string& name) const;  // ints are accepted
  Result<bool> Bool(const std::string& name) const;
  Result<std::string> String(const std::string& name) const;
  Result<std::vector<std::string>> StringList(const std::string& name) const;  // [] if absent
  bool HasParam(const std::string& name) const { return params_.contains(name); }

  // Appends {"key": value} to the step's metrics file (logged to its tracking run).
  Status LogMetric(const std::string& key, double value) const;
  // As above at history step `step` ({"key", "value", "step"}): one point of a curve.
  Status LogMetric(const std::string& key, double value, int64_t step) const;

 private:
  Result<const nlohmann::json*> Param(const std::string& name) const;
  Status AppendMetricLine(const nlohmann::json& line) const;

  std::string builtin_;
  std::string step_;
  nlohmann::json params_ = nlohmann::json::object();
  std::map<std::string, std::string> inputs_;
  std::map<std::string, std::string> input_sources_;
  std::map<std::string, std::string> outputs_;
  std::string metrics_file_;
};

}  // namespace kiln::ml
