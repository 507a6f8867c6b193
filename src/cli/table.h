// Plain-text tables for terminal output.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace kiln::cli {

// Prints `header` and `rows` as left-aligned columns separated by two spaces; cells longer
// than `max_width` are cut with "...".
void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, size_t max_width = 48);

// "2026-11-22 08:21:05" (UTC) for milliseconds since the epoch; "" for 0.
std::string FormatTime(int64_t millis);

}  // namespace kiln::cli
