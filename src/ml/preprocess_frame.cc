#include "ml/preprocess_frame.h"

namespace kiln::ml::preprocess_internal {

Frame ToFrame(const Table& table) { return Frame{table.columns(), table.num_rows()}; }

Result<Table> ToTable(Frame frame) {
  Table table;
  for (Column& column : frame.columns) {
    Status status = table.AddColumn(std::move(column));
    if (!status.ok()) return InvalidArgument(status.message());
  }
  return table;
}

Result<size_t> FindColumn(const Frame& frame, const std::string& name) {
  for (size_t i = 0; i < frame.columns.size(); ++i) {
    if (frame.columns[i].name() == name) return i;
  }
  return InvalidArgument("column '" + name + "' is missing");
}

Status RequireNewName(const Frame& frame, const std::string& name) {
  // Not FindColumn: its error, the usual outcome here, costs allocations.
  for (const Column& column : frame.columns) {
    if (column.name() != name) continue;
    return InvalidArgument("column '" + name + "' already exists");
  }
  return Status::Ok();
}

Status RequireValues(const Column& column, const std::string& op) {
  for (size_t row = 0; row < column.size(); ++row) {
    if (!column.IsValid(row)) {
      return InvalidArgument("column '" + column.name() + "' row " + std::to_string(row) +
                             ": missing value (" + op + " needs one; impute the column first)");
    }
  }
  return Status::Ok();
}

Status RequireType(const Column& column, ColumnType type) {
  if (column.type() == type) return Status::Ok();
  return InvalidArgument("column '" + column.name() + "' is " + ColumnTypeName(column.type()) +
                         " but was " + ColumnTypeName(type) + " in training");
}

Result<std::vector<double>> NumericValues(const Column& column, const std::string& op) {
  if (column.type() == ColumnType::kFloat64) {
    KILN_RETURN_IF_ERROR(RequireValues(column, op));
    return column.doubles();
  }
  if (column.type() != ColumnType::kInt64) {
    return InvalidArgument("column '" + column.name() + "' is " + ColumnTypeName(column.type()) +
                           "; " + op + " needs an int64 or float64 column");
  }
  KILN_RETURN_IF_ERROR(RequireValues(column, op));
  std::vector<double> values(column.ints().begin(), column.ints().end());
  return values;
}

}  // namespace kiln::ml::preprocess_internal
