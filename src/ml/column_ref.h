// ColumnRef: a borrowed, read-only look at one column's payload, wherever it lives (a Column's
// vectors or a block read from a .ktab file), for code that only reads numeric values.
#pragma once

#include <cstdint>

#include "ml/table.h"

namespace kiln::ml {

// The payload of a column of `rows` entries. Borrowed: valid while the owner is alive and
// unchanged. Values need not be aligned (a buffer of file bytes may hold them), so they are read
// with std::memcpy.
struct ColumnRef {
  ColumnType type = ColumnType::kFloat64;
  const uint8_t* valid = nullptr;  // one byte per row: 1 present, 0 missing
  // 8 bytes per row (double or int64) or 1 (bool 0/1); nullptr for string columns.
  const char* values = nullptr;
};

// The payload of `column`; strings have no numeric payload (values = nullptr). Never fails.
ColumnRef RefOf(const Column& column);

}  // namespace kiln::ml
