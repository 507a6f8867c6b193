// ${scope.name} placeholders in command arguments and env values.
// Pure functions; thread-safe.
#pragma once

#include <functional>
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

// Gives the text a placeholder stands for. Errors are passed through SubstitutePlaceholders.
using PlaceholderLookup = std::function<Result<std::string>(const Placeholder&)>;

// `text` with every placeholder replaced by lookup's answer (no re-scanning of answers).
// Errors: as FindPlaceholders, or lookup's first error.
Result<std::string> SubstitutePlaceholders(std::string_view text, const PlaceholderLookup& lookup);

}  // namespace kiln::pipeline
