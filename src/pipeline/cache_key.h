// Step cache keys: a step whose key was computed successfully before need not run again.
#pragma once

#include <map>
#include <string>

#include "pipeline/resolve.h"

namespace kiln::pipeline {

// SHA-256 (hex) over everything that determines a step's outputs: the module and version (for
// command modules also the digest of their files), the command and env templates, the builtin,
// the resolved params (typed), the input digests, the declared outputs and `deps_digest`, the
// digest of the files in the pipeline's folder that the step names (exec/step_deps.h; "" when
// none, which leaves the key as it was before deps counted). The step's name, the run it
// belongs to and whether it may be cached do not count. `input_digests` maps each input name to
// its artifact digest. Pure function; thread-safe.
std::string StepCacheKey(const ResolvedStep& step,
                         const std::map<std::string, std::string>& input_digests,
                         const std::string& deps_digest);

}  // namespace kiln::pipeline
