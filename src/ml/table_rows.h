// Row-wise operations on tables: taking rows by index and reading a cell as text.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ml/table.h"

namespace kiln::ml {

// A table of the rows `rows` (indices into `table`, any order, repeats allowed, or kNoRow for an
// all-missing row), with the same columns. Other indices must be < table.num_rows().
Table TakeRows(const Table& table, const std::vector<size_t>& rows);

// Marks a row of TakeRows that has no source row: every column gets a missing value there.
inline constexpr size_t kNoRow = static_cast<size_t>(-1);

// Row `row` of `column` as text ("" when missing): for grouping rows by value.
std::string CellText(const Column& column, size_t row);

}  // namespace kiln::ml
