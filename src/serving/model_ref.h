// A reference to a registered model version: NAME@ALIAS (follows the alias as it moves) or
// NAME/VERSION (fixed). NAME@3 is read as version 3.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::serving {

struct ModelRef {
  std::string name;
  std::string alias;    // set for NAME@ALIAS
  int64_t version = 0;  // set (> 0) for NAME/VERSION

  bool follows_alias() const { return !alias.empty(); }
  // "NAME@ALIAS" or "NAME/VERSION".
  std::string ToString() const;
  bool operator==(const ModelRef& other) const {
    return name == other.name && alias == other.alias && version == other.version;
  }
};

// Parses `text`. Errors: kInvalidArgument naming `field` and the expected forms.
Result<ModelRef> ParseModelRef(std::string_view text, std::string_view field);

}  // namespace kiln::serving
