// The folders pipelines may read: a pipeline's file: inputs come from inside its folder (its
// base_dir), never from above it (absolute paths, "..", symbolic links that lead out), and a
// network client's pipeline folder lies inside the server's pipeline roots.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/resolve.h"

namespace kiln::exec {

// The absolute path, symbolic links resolved, of the file or folder that the file: binding
// `path` names inside the pipeline folder `base_dir` (absolute). The file need not exist: a
// missing one is reported when the step binds it. Errors: kInvalidArgument when `path` is
// absolute, climbs out with "..", or leads out of the folder through a symbolic link, and when
// `base_dir` is empty or not absolute. Messages quote `path` as given, never `base_dir`.
// Thread-safe; reads the filesystem (lstat of each existing component).
Result<std::string> ResolveInputFile(const std::string& base_dir, const std::string& path);

// Checks every file: input of `pipeline` as ResolveInputFile does. Errors: kInvalidArgument
// "<file>:<line>:<col>: steps.STEP.inputs.INPUT: ..." for the first input that fails.
Status CheckInputFiles(const pipeline::ResolvedPipeline& pipeline, const std::string& base_dir);

// The flag that adds pipeline roots, for messages.
inline constexpr const char* kPipelineRootsFlag = "--pipeline-roots";

// OK when the absolute folder `base_dir` lies inside (or is) one of `roots`, symbolic links
// resolved; neither needs to exist. Errors: kPermissionDenied naming `base_dir` as given (never
// the roots) and what to do: start the server with --pipeline-roots covering it. Thread-safe;
// reads the filesystem.
Status CheckPipelineRoot(const std::string& base_dir, const std::vector<std::string>& roots);

}  // namespace kiln::exec
