// Kiln table files (.ktab): a binary columnar format for passing Tables between pipeline steps,
// and CSV export.
//
// Layout (little-endian): magic "KILNTAB\0", u32 version (1), u32 column count, u64 row count;
// per column u32 name length, name bytes, u8 type (ColumnType); then per column the validity
// mask (one byte per row, 0 or 1) and the values: 8 bytes per row for float64/int64, one byte
// (0 or 1) for bool, and for strings row count + 1 u64 offsets followed by the bytes.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "ml/table.h"

namespace kiln::ml {

inline constexpr char kTableFileMagic[8] = {'K', 'I', 'L', 'N', 'T', 'A', 'B', '\0'};
inline constexpr uint32_t kTableFileVersion = 1;

// The .ktab bytes of `table`. Never fails.
std::string SerializeTable(const Table& table);

// The table in .ktab `bytes`; `source` names them in errors. Errors: kInvalidArgument
// "<source>: ..." for a wrong magic, an unsupported version, or truncated/corrupt contents.
Result<Table> ParseTable(std::string_view bytes, std::string_view source);

// Writes `table` to `path` as .ktab, atomically (temporary file + rename). Errors: kInternal
// naming the path, kResourceExhausted when memory runs out. Thread-safe for distinct paths.
Status WriteTable(const Table& table, const std::string& path);

// Reads the .ktab file at `path`. Errors: kNotFound (no such file), kInternal (I/O), and those
// of ParseTable naming the path, kResourceExhausted. Thread-safe.
Result<Table> ReadTable(const std::string& path);

// `table` as CSV with a header line: fields quoted when they hold ',', '"', CR or LF (quotes
// doubled), missing values as empty fields, floats in shortest round-trip form (NaN as "NaN",
// infinities as "inf"/"-inf"), bools as true/false. Never fails.
std::string FormatCsv(const Table& table);

// Writes FormatCsv(table) to `path` atomically. Errors: kInternal naming the path,
// kResourceExhausted.
Status WriteCsv(const Table& table, const std::string& path);

}  // namespace kiln::ml
