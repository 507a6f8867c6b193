// Naming what went wrong on a mistyped command line: the closest known word to an unknown one.
#pragma once

#include <string>
#include <vector>

namespace kiln::cli {

// The candidate closest to `word` by edit distance (insertions, deletions, substitutions and
// swaps of neighbours), if it is close enough to be a likely typo (at most 2 edits, and at most
// half of the longer word's letters); "" when none is. Ties go to the earlier candidate.
std::string ClosestWord(const std::string& word, const std::vector<std::string>& candidates);

// "unknown command 'WORD' for 'PATH'" plus "; did you mean 'X'?" when one is close, plus the
// list of commands there are. An empty `word` says that a command is missing.
std::string UnknownCommandMessage(const std::string& path, const std::string& word,
                                  const std::vector<std::string>& commands);

}  // namespace kiln::cli
