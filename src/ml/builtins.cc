#include "ml/builtins.h"

#include <map>

#include "ml/builtin_impls.h"

namespace kiln::ml {
namespace {

using BuiltinFn = Status (*)(const BuiltinStep&);

const std::map<std::string, BuiltinFn>& Registry() {
  // clang-format off
  static const std::map<std::string, BuiltinFn> kBuiltins = {
      {"check", RunCheck},
      {"evaluate", RunEvaluate},
      {"filter-rows", RunFilterRows},
      {"join", RunJoin},
      {"preprocess", RunPreprocess},
      {"read-csv", RunReadCsv},
      {"select-columns", RunSelectColumns},
      {"split", RunSplit},
      {"train-linear", RunTrainLinear},
      {"train-xgboost", RunTrainXgboost},
      {"write-csv", RunWriteCsv},
  };
  // clang-format on
  return kBuiltins;
}

}  // namespace

Status RunBuiltin(const BuiltinStep& step) {
  auto it = Registry().find(step.builtin());
  if (it == Registry().end()) {
    std::string known;
    for (const std::string& name : BuiltinNames()) known += (known.empty() ? "" : ", ") + name;
    return NotFound("no builtin '" + step.builtin() + "' in this kiln (known: " + known + ")");
  }
  return it->second(step);
}

std::vector<std::string> BuiltinNames() {
  std::vector<std::string> names;
  for (const auto& [name, fn] : Registry()) names.push_back(name);
  return names;
}

}  // namespace kiln::ml
