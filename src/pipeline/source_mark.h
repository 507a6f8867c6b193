// Source positions in YAML files and the one error format that names them.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::pipeline {

// A 1-based line and column in a source file; 0 means unknown.
struct SourceMark {
  int line = 0;
  int column = 0;
};

// kInvalidArgument "<file>:<line>:<column>: <path>: <what>"; the path part is left out when
// empty. Pure function.
Status MarkedError(std::string_view file, SourceMark mark, std::string_view path,
                   std::string_view what);

// "a.b" from "a" and "b"; just `key` when `path` is empty. Pure function.
std::string JoinPath(std::string_view path, std::string_view key);

}  // namespace kiln::pipeline
