// How one step of a pipeline run becomes a process: its folder layout, its argv with every
// placeholder substituted, and the KILN_* / MLFLOW_* environment it runs with.
#pragma once

#include <map>
#include <string>

#include "common/status.h"
#include "exec/executor.h"
#include "pipeline/resolve.h"

namespace kiln::exec {

// A step's folders and files under <data>/work/<pipeline run>/<step>/.
struct StepPaths {
  std::string dir;           // the step's folder
  std::string outputs_dir;   // outputs/<name> are the paths ${outputs.name} stands for
  std::string log_file;      // stdout + stderr of every attempt
  std::string metrics_file;  // JSON lines the step may append (KILN_METRICS_FILE)
};

// The paths for `step` of pipeline run `run_id`. Pure function.
StepPaths StepPathsFor(const std::string& data_dir, const std::string& run_id,
                       const std::string& step);

// Creates the step's folders afresh (a retry or resume starts from empty outputs) and a folder
// for each output of type dir. Errors: kInternal on I/O.
Status PrepareStepFolders(const pipeline::ResolvedStep& step, const StepPaths& paths);

// Identifiers a step sees in its environment.
struct StepIdentity {
  std::string pipeline_run_id;  // the parent tracking run
  std::string step_run_id;      // the step's child tracking run
  std::string experiment_id;
  std::string tracking_uri;  // MLFLOW_TRACKING_URI; empty when there is no server to call
  std::string data_dir;      // KILN_DATA_DIR: the data folder (absolute), for builtins
  // More variables every step gets (PipelineServiceOptions::step_env); may be null. Not owned.
  const std::map<std::string, std::string>* extra_env = nullptr;
};

// The process for `step`: argv and env with ${params|inputs|outputs.NAME} substituted
// (`input_paths` maps input names to readable paths), KILN_* and MLFLOW_* variables set, run in
// the module's folder (inline commands: `base_dir`), with the step's resources and timeout.
// Errors: kInvalidArgument for a placeholder with no value (naming the step).
Result<ProcessSpec> BuildProcessSpec(const pipeline::ResolvedStep& step, const StepPaths& paths,
                                     const std::map<std::string, std::string>& input_paths,
                                     const StepIdentity& identity, const std::string& base_dir);

}  // namespace kiln::exec
