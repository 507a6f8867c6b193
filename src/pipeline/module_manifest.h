// Module manifests: the YAML that declares a reusable module's params, ports and how it runs.
//   name: xgboost-train
//   version: 1.2.0
//   description: Trains an XGBoost model.
//   params:  {max_depth: {type: int, default: 6, min: 1, max: 20}}
//   inputs:  {train: {type: table}}
//   outputs: {model: {type: model, description: "the booster"}}
//   command: [python3, train.py, --depth, "${params.max_depth}", --out, "${outputs.model}"]
//   env:     {OMP_NUM_THREADS: "1"}
//   cache:   false          # optional: never serve this module's steps from the step cache
// (or `builtin: NAME` instead of `command`; `side_effects: true` means `cache: false`). Pure
// functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pipeline/param_value.h"
#include "pipeline/source_mark.h"

namespace kiln::pipeline {

enum class ArtifactType { kTable, kModel, kFile, kDir, kPlot };

// "table", "model", "file", "dir" or "plot".
const char* ArtifactTypeName(ArtifactType type);
// The type named `name`; false when there is none.
bool ArtifactTypeFromName(std::string_view name, ArtifactType* type);

// A named input or output of a module.
struct PortSpec {
  std::string name;
  ArtifactType type = ArtifactType::kFile;
  std::string description;
  bool optional = false;  // inputs only: a step may leave it unbound
  SourceMark mark;
};

// How a module runs: a builtin (C++ code in the binary) or a command line.
struct RunnerSpec {
  std::string builtin;                     // non-empty for a builtin module
  std::vector<std::string> command;        // argv with ${...} placeholders otherwise
  std::map<std::string, std::string> env;  // extra environment (values may hold placeholders)
};

struct ModuleManifest {
  std::string name;
  std::string version;  // MAJOR.MINOR.PATCH[-prerelease]
  std::string description;
  std::vector<ParamSpec> params;
  std::vector<PortSpec> inputs;
  std::vector<PortSpec> outputs;
  RunnerSpec runner;
  // False when the module's purpose is an effect outside its outputs (registering a model):
  // its steps run every time, never from the step cache.
  bool cacheable = true;
  // Where the manifest came from, filled by whoever loads it (empty for text parsed alone):
  std::string source_dir;    // absolute folder holding module.yaml and the module's files
  std::string files_digest;  // SHA-256 over the folder's files (relative paths and contents)
  // Non-empty for a published version that must not be used, saying why (it was yanked, or
  // its files cannot be written out); a library knows it but never resolves a step to it.
  std::string unusable;

  // The declaration named `name`, or nullptr. The pointer lives as long as this manifest.
  const ParamSpec* FindParam(std::string_view name) const;
  const PortSpec* FindInput(std::string_view name) const;
  const PortSpec* FindOutput(std::string_view name) const;
};

// Parses and validates a manifest. Errors: kInvalidArgument
// "<file>:<line>:<col>: <field path>: <problem>" for YAML syntax, missing or malformed
// name/version, unknown keys, bad params or ports, not exactly one of builtin/command,
// placeholders that name no declared param, input or output, a non-bool cache/side_effects and
// `cache` contradicting `side_effects`.
Result<ModuleManifest> ParseModuleManifest(std::string_view text, std::string_view file_name);

// True for module names: a letter or digit, then letters, digits, '_', '-', '.' or '/'.
bool IsValidModuleName(std::string_view name);
// True for MAJOR.MINOR.PATCH with an optional -prerelease of letters, digits, '.' and '-'.
bool IsValidVersion(std::string_view version);

}  // namespace kiln::pipeline
