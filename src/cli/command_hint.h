// Naming what went wrong on a mistyped command line: the closest known word to an unknown one.
#pragma once

#include <string>
#include <vector>

#include "common/closest_word.h"

namespace kiln::cli {

// "unknown command 'WORD' for 'PATH'" plus "; did you mean 'X'?" when one is close, plus the
// list of commands there are. An empty `word` says that a command is missing.
std::string UnknownCommandMessage(const std::string& path, const std::string& word,
                                  const std::vector<std::string>& commands);

}  // namespace kiln::cli
