// The lineage of an artifact a pipeline run produced (e.g. a registered model's package),
// traced along the actual run chain: the step of that pipeline run that output it, then the
// steps of the same run whose outputs it consumed, and so on upstream. A cached step is shown
// as the step run that first computed its results (same cache key, not cached), so re-runs fold
// into it (counted in `reused_by`), while the walk goes on along the traced run's own inputs (a
// run that read a dataset shows the dataset, even when its cached steps were first computed
// from a file with the same bytes); steps of unrelated runs that happen to produce
// byte-identical files never join the graph.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/run_records.h"
#include "tracking/tracking_service.h"

namespace kiln::exec {

// A step run that computed its results (a cached copy only when its original is gone).
struct LineageStep {
  std::string run_id;           // the step's tracking run
  std::string pipeline_run_id;  // the pipeline run it belongs to
  std::string pipeline_name;
  std::string step;
  int64_t started_ms = 0;
  int64_t reused_by = 0;  // cached step runs of other pipeline runs that re-used its results
};

// Nodes are "step_run" (the steps), "artifact" (a digest) and "dataset" (NAME@VERSION); edges
// are stored lineage edges ("input:NAME", "output:NAME").
struct ArtifactLineage {
  std::vector<LineageStep> steps;  // steps[0] first produced the artifact, when any did
  std::vector<pipeline::LineageEdge> edges;
};

// Traces `digest` from `run_id`: a pipeline run, or one of its step runs. Empty when the run
// is neither or none of its steps output the digest. Reads only; thread-safe as `records` and
// `tracking` are. Errors: kInternal for storage failures.
Result<ArtifactLineage> TraceArtifact(pipeline::RunRecords& records,
                                      tracking::TrackingService& tracking,
                                      const std::string& run_id, const std::string& digest);

}  // namespace kiln::exec
