#include "ml/table_rows.h"

#include <charconv>

namespace kiln::ml {
namespace {

template <typename T>
std::vector<T> Take(const std::vector<T>& values, const std::vector<size_t>& rows) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (size_t row : rows) out.push_back(row == kNoRow ? T() : values[row]);
  return out;
}

Column TakeColumn(const Column& column, const std::vector<size_t>& rows) {
  std::vector<uint8_t> valid = Take(column.valid(), rows);
  switch (column.type()) {
    case ColumnType::kFloat64:
      return Column::Float64(column.name(), Take(column.doubles(), rows), std::move(valid));
    case ColumnType::kInt64:
      return Column::Int64(column.name(), Take(column.ints(), rows), std::move(valid));
    case ColumnType::kBool:
      return Column::Bool(column.name(), Take(column.bools(), rows), std::move(valid));
    case ColumnType::kString:
      return Column::String(column.name(), Take(column.strings(), rows), std::move(valid));
  }
  return Column(column.name(), column.type());
}

}  // namespace

Table TakeRows(const Table& table, const std::vector<size_t>& rows) {
  Table out;
  for (const Column& column : table.columns()) {
    // Same names as a valid table: adding cannot fail.
    out.AddColumn(TakeColumn(column, rows)).IgnoreError();
  }
  return out;
}

std::string CellText(const Column& column, size_t row) {
  if (!column.IsValid(row)) return "";
  switch (column.type()) {
    case ColumnType::kFloat64: {
      char buffer[32];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), column.doubles()[row]);
      return std::string(buffer, end);
    }
    case ColumnType::kInt64:
      return std::to_string(column.ints()[row]);
    case ColumnType::kBool:
      return column.bools()[row] ? "true" : "false";
    case ColumnType::kString:
      return column.strings()[row];
  }
  return "";
}

}  // namespace kiln::ml
