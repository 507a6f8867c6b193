// What the run pages show about a finished step's files: the stored size of each file output
// and whether its log is there to stream. Kept out of the handlers: they only render.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "artifacts/artifact_store.h"
#include "pipeline/run_records.h"

namespace kiln::exec {

// The stored size in bytes of every file output of `run`'s steps, by digest. Folders are left
// out (GET /api/v1/trees/D lists their sizes), and so are blobs the store no longer holds or
// cannot stat: a page shows what is there and never fails for it. One stat per file output;
// call it for one run, not for a list. Thread-safe if the store is.
std::map<std::string, uint64_t> StoredOutputSizes(const artifacts::ArtifactStore& store,
                                                  const pipeline::PipelineRunRecord& run);

// Whether a step's log file `path` exists ("" never does), so it can be streamed as a file.
bool StepLogExists(const std::string& path);

}  // namespace kiln::exec
