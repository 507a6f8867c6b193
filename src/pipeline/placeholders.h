// ${scope.name} placeholders in command arguments and env values.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kiln::pipeline {

// One placeholder, e.g. ${params.max_depth} -> {"params", "max_depth"}.
struct Placeholder {
  std::string scope;  // "params", "inputs" or "outputs"
  std::string name;
};

// The placeholders in `text`, in order. Errors: kInvalidArgument without a position, e.g.
// "unterminated '${'" or "bad placeholder '${foo}' (expected ${params|inputs|outputs.NAME})".
Result<std::vector<Placeholder>> FindPlaceholders(std::string_view text);

}  // namespace kiln::pipeline
