// The files in a pipeline's folder that a step's cache key covers, beside its module's files:
//  - every path the step's `deps:` lists (a file or a folder, relative to the pipeline folder);
//  - for an inline command (it runs in the pipeline folder), every command argument that,
//    after ${params.X} substitution, names an existing file or folder inside the pipeline folder
//    (not the folder itself); arguments leading outside it (absolute paths, "..", symbolic
//    links out) or naming nothing are ignored.
// Folders are read as module folders are (see pipeline/module_folder.h: hidden entries and
// __pycache__ skipped, symbolic links must stay inside), and the digest is a module files
// digest over paths relative to the pipeline folder. Files over kMaxDepContentBytes are
// identified by size and modification time rather than contents. More than kMaxDepFiles files,
// or a folder that cannot be read so, is an error for deps; for a command argument it makes
// the step run every time instead (a key that misses a file would serve stale results).
// All functions are thread-safe; they read the filesystem.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "pipeline/resolve.h"

namespace kiln::exec {

// At most this many files per step count towards its key.
inline constexpr size_t kMaxDepFiles = 10000;
// Larger files count by size and modification time.
inline constexpr int64_t kMaxDepContentBytes = int64_t{16} << 20;

// Checks every step's deps against the pipeline folder `base_dir` (absolute). Errors:
// kInvalidArgument "<file>:<line>:<col>: steps.STEP.deps[I]: 'PATH' ..." for the first path
// that is absolute, leads out of the folder or does not exist.
Status CheckStepDeps(const pipeline::ResolvedPipeline& pipeline, const std::string& base_dir);

struct StepDeps {
  std::string digest;       // files digest of everything named; "" when nothing is
  std::string uncacheable;  // non-empty: why the step must run every time
};

// What `step` names in the pipeline folder `base_dir` (see above); an empty `base_dir` names
// nothing. Errors: kInvalidArgument "step 'STEP': deps ..." naming the path, for a deps path
// that escapes or no longer exists, over kMaxDepFiles files or that cannot be read.
Result<StepDeps> StepDepsDigest(const pipeline::ResolvedStep& step, const std::string& base_dir);

}  // namespace kiln::exec
