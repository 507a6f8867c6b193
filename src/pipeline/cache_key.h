// Step cache keys: a step whose key was computed successfully before need not run again.
#pragma once

#include <map>
#include <string>

#include "pipeline/resolve.h"

namespace kiln::pipeline {

// SHA-256 (hex) over everything that determines a step's outputs: the module and version (for
// command modules also the digest of their files), the command and env templates, the builtin,
// the resolved params (typed), the input digests and the declared outputs. The step's name and
// the run it belongs to do not count. `input_digests` maps each input name to its artifact
// digest. Pure function; thread-safe.
std::string StepCacheKey(const ResolvedStep& step,
                         const std::map<std::string, std::string>& input_digests);

}  // namespace kiln::pipeline
