// From what a user submits (a pipeline file's text, overrides, sweep options) to the fully
// resolved pipeline runs to start. Everything is checked before anything runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "datasets/dataset_registry.h"
#include "pipeline/module_library.h"
#include "pipeline/resolve.h"

namespace kiln::exec {

struct SubmitRequest {
  std::string spec_text;  // the pipeline file's text
  std::string file;       // its name, for messages
  std::string base_dir;   // absolute folder of the file (file bindings, project modules)
  std::vector<std::string> overrides;  // Hydra syntax, e.g. "lr=0.1", "+train.x=2"
  bool multirun = false;               // expand sweeps into a grid (-m)
  int64_t sample = 0;                  // > 0: random search with this many points
  uint64_t seed = 0;                   // for sample
  int64_t parallel = 0;                // sweep points running at once; 0 = one per CPU
  bool use_cache = true;
  std::string schedule_id;  // set when a schedule starts the run
  // Who asks: the network client's address, or "" for an in-process caller (the CLI over a data
  // folder, the scheduler), which is trusted. See PipelineServiceOptions.
  std::string peer;
};

struct PlannedRun {
  pipeline::ResolvedPipeline pipeline;
  std::vector<std::string> overrides;  // this point's overrides, re-parseable
  std::string description;             // "lr=0.1 depth=3" for sweeps; "" otherwise
};

struct Plan {
  std::string pipeline_name;
  bool is_sweep = false;
  std::vector<PlannedRun> runs;
};

// Parses the file and overrides, expands the sweep (grid with multirun, random points with
// sample) and resolves every point against `library`. Errors: kInvalidArgument naming the file,
// line, column and field, or the override; also a sweep value without -m/--sample, -m
// together with --sample, and a dataset input that `datasets` (may be null: none) does not
// have, a file input outside request.base_dir (see ResolveInputFile), and a deps path that
// leads outside it or does not exist (see CheckStepDeps). Dataset inputs come
// back pinned: "latest" becomes the current version number. Thread-safe if `library` and
// `datasets` are.
Result<Plan> PlanSubmission(const SubmitRequest& request, const pipeline::ModuleLibrary& library,
                            datasets::DatasetRegistry* datasets);

}  // namespace kiln::exec
