// What a finished step leaves behind: its outputs (stored by content), the metrics it appended
// to its metrics file, and the tail of its log.
#pragma once

#include <string>
#include <vector>

#include "artifacts/artifact_store.h"
#include "common/status.h"
#include "exec/step_launch.h"
#include "pipeline/resolve.h"
#include "pipeline/run_records.h"
#include "tracking/entities.h"

namespace kiln::exec {

// Stores every declared output of `step` (a file as a blob, a folder as a tree) and returns
// them with their digests. Errors: kFailedPrecondition "output 'x' was not written (expected a
// file at PATH)" or "output 'x' must be a folder"; kInvalidArgument for symlinks inside a
// folder output; kInternal on I/O. Thread-safe if the store is.
Result<std::vector<pipeline::StepOutput>> CollectOutputs(artifacts::ArtifactStore& store,
                                                         const pipeline::ResolvedStep& step,
                                                         const StepPaths& paths);

// OK when every blob `outputs` refer to is still in `store`: each output's blob and, for a
// folder, its manifest and every file it lists. One lookup per blob (a stat), no scan.
// Errors: kNotFound naming the output; kInvalidArgument for a manifest that cannot be read.
// Thread-safe if the store is.
Status CheckOutputsStored(const artifacts::ArtifactStore& store,
                          const std::vector<pipeline::StepOutput>& outputs);

// The metrics in a JSON-lines file: each line is {"key": K, "value": V, "step": S,
// "timestamp": T} (step and timestamp optional) or a flat object of numbers {"acc": 0.9,
// "step": 3}. A missing file gives none. Errors: kInvalidArgument "metrics file line N: ...".
Result<std::vector<tracking::Metric>> ReadMetricsFile(const std::string& path, int64_t now_ms);

// The last `lines` lines of a text file ("" when missing); at most 64 KiB are read.
std::string LogTail(const std::string& path, int lines);

}  // namespace kiln::exec
