// Small text helpers several layers need. Pure functions; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace kiln {

// The pieces of `text` between `separator`s, empty ones included ("a,,b" -> "a", "", "b";
// "" -> one empty piece). The pieces borrow from `text`.
std::vector<std::string_view> SplitOn(std::string_view text, char separator);

// Whether `a` and `b` are equal ignoring ASCII case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace kiln
