// Turning a step's input bindings into artifact digests (for the cache key and lineage) and
// into paths the step can read.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "artifacts/artifact_store.h"
#include "common/status.h"
#include "datasets/dataset_registry.h"
#include "pipeline/resolve.h"
#include "pipeline/run_records.h"

namespace kiln::exec {

struct BoundInput {
  std::string digest;
  bool is_tree = false;
  std::string source;  // for lineage: "step:NAME.OUTPUT", "file:/abs/path" or "dataset:N@V"
};

// The digests of every input of `step`. Step outputs come from `upstream_outputs` (step name ->
// its stored outputs); files (relative to `base_dir`) are stored by content first. Errors:
// kNotFound for a missing file (named), dataset version or an upstream output that was not
// recorded; kFailedPrecondition for a dataset binding when `datasets` is null;
// kInvalidArgument for a file outside `base_dir` (ResolveInputFile). Dataset bindings must name
// a version number (planning pins "latest").
Result<std::map<std::string, BoundInput>> BindInputs(
    artifacts::ArtifactStore& store, datasets::DatasetRegistry* datasets,
    const pipeline::ResolvedStep& step,
    const std::map<std::string, std::vector<pipeline::StepOutput>>& upstream_outputs,
    const std::string& base_dir);

// A readable path per input: the blob itself for files (read-only), a materialized folder under
// `tree_cache` for folders. Errors: kNotFound if an artifact vanished, kInternal on I/O.
Result<std::map<std::string, std::string>> InputPaths(
    const artifacts::ArtifactStore& store, const std::map<std::string, BoundInput>& inputs,
    const std::string& tree_cache);

}  // namespace kiln::exec
