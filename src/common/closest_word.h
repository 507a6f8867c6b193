// Naming what went wrong with a mistyped word (a command, a setting): the closest known word.
#pragma once

#include <string>
#include <vector>

namespace kiln {

// The candidate closest to `word` by edit distance (insertions, deletions, substitutions and
// swaps of neighbours), if it is close enough to be a likely typo (at most 2 edits, and at most
// half of the longer word's letters); "" when none is. Ties go to the earlier candidate. Pure.
std::string ClosestWord(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace kiln
