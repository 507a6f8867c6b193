// Dataset names and references ("iris@2", "iris@latest"), as pipelines and the CLI write them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::datasets {

struct DatasetRef {
  std::string name;
  std::optional<int64_t> version;  // nullopt: the latest version

  // "NAME@VERSION" or "NAME@latest".
  std::string ToString() const;
};

// A dataset name: 1 to 128 of letters, digits, '.', '_' and '-', starting with a letter or
// digit. Errors: kInvalidArgument naming the name and the rule.
Status ValidateDatasetName(std::string_view name);

// Parses "NAME@VERSION" (VERSION a positive integer) or "NAME@latest"; a bare "NAME" means
// latest when `allow_bare` is set. Errors: kInvalidArgument quoting the text.
Result<DatasetRef> ParseDatasetRef(std::string_view text, bool allow_bare = false);

}  // namespace kiln::datasets
