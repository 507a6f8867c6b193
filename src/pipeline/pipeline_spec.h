// Pipeline files: a DAG of steps that use modules (or inline commands).
//   name: iris
//   params: {depth: {type: int, default: 3}}
//   steps:
//     load:  {uses: csv-load@1.0.0, inputs: {source: "dataset:iris@1"}}
//     train:
//       uses: xgboost-train@1.2.0
//       inputs: {train: load.table}
//       params: {max_depth: "${params.depth}", eta: 0.3}
//       resources: {cpus: 2, memory_mb: 1024}
//       timeout_seconds: 600
//       retries: 1
//     report: {command: [sh, -c, "..."], outputs: {summary: file}}
//     clean:  {command: [python3, clean.py], deps: [lib/], cache: false, outputs: {...}}
// Parsing checks the syntax only; ValidatePipeline checks it against modules. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pipeline/module_manifest.h"
#include "pipeline/param_value.h"
#include "pipeline/source_mark.h"

namespace kiln::pipeline {

// Where a step input comes from: "step.output", "dataset:NAME@VERSION" or "file:PATH" (a value
// containing '/' is a file path too).
struct Binding {
  enum class Kind { kStepOutput, kDataset, kFile };
  Kind kind = Kind::kStepOutput;
  std::string step;     // kStepOutput
  std::string output;   // kStepOutput
  std::string dataset;  // kDataset: NAME
  std::string version;  // kDataset: VERSION
  std::string path;     // kFile
  SourceMark mark;
};

// A step param as written: a literal, or the whole value "${params.NAME}".
struct StepParam {
  bool is_reference = false;
  std::string reference;  // the pipeline param NAME when is_reference
  ParamLiteral literal;   // otherwise
  SourceMark mark;
};

struct Resources {
  double cpus = 1;
  int64_t memory_mb = 0;  // 0: no limit declared
};

struct StepSpec {
  std::string name;
  SourceMark mark;     // the step's key
  std::string module;  // from uses: "module@version"; empty for an inline command
  std::string version;
  SourceMark uses_mark;
  std::vector<std::string> command;             // inline command (no module)
  std::vector<SourceMark> command_marks;        // where each command argument is written
  std::map<std::string, std::string> env;       // inline command env
  std::map<std::string, SourceMark> env_marks;  // where each env value is written
  std::map<std::string, PortSpec> outputs;      // declared outputs of an inline command
  std::map<std::string, Binding> inputs;
  std::map<std::string, StepParam> params;
  Resources resources;
  int64_t timeout_seconds = 0;  // 0: none
  int64_t retries = 0;
  bool cache = true;                   // false: never served from the step cache (`cache: false`)
  std::vector<std::string> deps;       // `deps:` paths relative to the pipeline's folder
  std::vector<SourceMark> deps_marks;  // where each deps entry is written

  bool is_inline() const { return module.empty(); }
};

struct PipelineSpec {
  std::string file;  // the file name used in messages
  std::string name;
  std::string description;
  std::vector<ParamSpec> params;
  std::vector<StepSpec> steps;  // in file order

  // The step or param named `name`, or nullptr; the pointer lives as long as this spec.
  const StepSpec* FindStep(std::string_view name) const;
  const ParamSpec* FindParam(std::string_view name) const;
};

// Parses a pipeline file. Errors: kInvalidArgument "<file>:<line>:<col>: <path>: <problem>" for
// YAML syntax, unknown keys, duplicate step names (naming both lines), a bad "uses", input
// binding or param reference, and malformed resources, timeout or retries.
Result<PipelineSpec> ParsePipeline(std::string_view text, std::string_view file_name);

}  // namespace kiln::pipeline
