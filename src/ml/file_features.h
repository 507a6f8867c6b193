// The feature matrix of a training table, read straight from its .ktab file: each thread reads
// blocks of rows of every feature column into small reused buffers and writes them, row-major,
// into the matrix. Nothing the size of the table is allocated or copied besides the matrix.
#pragma once

#include <cstddef>
#include <vector>

#include "common/status.h"
#include "ml/table_file_view.h"

namespace kiln::ml {

// Fills `out` (table.num_rows() x columns.size() floats, row-major) from the numeric or bool
// columns at indices `columns` of `table`: NaN for missing values, bools as 0/1. Runs on up to
// `threads` threads (0 = all cores; small tables use one). Errors: those of
// TableFileView::ReadNumeric (corrupt contents, I/O); `out` is then partly written.
Status ReadFeatureMatrix(const TableFileView& table, const std::vector<size_t>& columns,
                         int threads, float* out);

}  // namespace kiln::ml
