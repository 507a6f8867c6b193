// A validated pipeline with every value fixed: what each step runs, with which params, reading
// which inputs and writing which outputs. The executor-facing form of a pipeline.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/dag_plan.h"
#include "pipeline/module_library.h"
#include "pipeline/pipeline_spec.h"

namespace kiln::pipeline {

struct ResolvedStep {
  std::string name;
  std::string module_ref;            // "name@version", or "inline" for an inline command
  std::string builtin;               // a builtin module's name; empty for commands
  std::string module_dir;            // the module's folder (command modules); empty otherwise
  std::string files_digest;          // digest of the module's files; empty for inline commands
  std::vector<std::string> command;  // argv, placeholders not yet substituted
  std::map<std::string, std::string> env;    // values may hold placeholders
  std::map<std::string, ParamValue> params;  // every param with a value, module defaults included
  std::map<std::string, Binding> inputs;
  std::map<std::string, ArtifactType> outputs;
  Resources resources;
  int64_t timeout_seconds = 0;
  int64_t retries = 0;
  // False when the step must run every time: its module declares side effects (`cache: false`
  // or `side_effects: true` in module.yaml) or the step says `cache: false`.
  bool cacheable = true;
  std::vector<std::string> deps;  // `deps:` paths relative to the pipeline's folder
};

struct ResolvedPipeline {
  PipelineSpec spec;
  DagPlan plan;
  std::map<std::string, ParamValue> params;  // the pipeline's params, all set
  std::vector<ResolvedStep> steps;           // parallel to spec.steps
};

// Validates `spec` against `library` and fixes every value. Errors: kInvalidArgument as
// ValidatePipeline, plus "<file>:<l>:<c>: params.x: required param 'x' has no value (set it
// with x=VALUE)" and bad placeholders of inline commands. Thread-safe if `library` is.
Result<ResolvedPipeline> ResolvePipeline(PipelineSpec spec, const ModuleLibrary& library);

}  // namespace kiln::pipeline
