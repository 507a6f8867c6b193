#include "ml/table.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

namespace kiln::ml {
namespace {

template <typename T>
std::vector<uint8_t> MaskFor(const std::vector<T>& values, std::vector<uint8_t> valid) {
  if (valid.empty()) valid.assign(values.size(), 1);
  return valid;
}

std::string JoinNames(const std::vector<Column>& columns) {
  std::string out;
  for (const Column& c : columns) {
    if (!out.empty()) out += ", ";
    out += c.name();
  }
  return out;
}

}  // namespace

const char* ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kFloat64:
      return "float64";
    case ColumnType::kInt64:
      return "int64";
    case ColumnType::kBool:
      return "bool";
    case ColumnType::kString:
      return "string";
  }
  return "unknown";
}

Column::Column(std::string name, ColumnType type, Values values, std::vector<uint8_t> valid)
    : name_(std::move(name)), type_(type), values_(std::move(values)), valid_(std::move(valid)) {}

Column::Column(std::string name, ColumnType type) : name_(std::move(name)), type_(type) {
  switch (type) {
    case ColumnType::kFloat64:
      values_ = std::vector<double>();
      break;
    case ColumnType::kInt64:
      values_ = std::vector<int64_t>();
      break;
    case ColumnType::kBool:
      values_ = Bools{};
      break;
    case ColumnType::kString:
      values_ = std::vector<std::string>();
      break;
  }
}

Column Column::Float64(std::string name, std::vector<double> values, std::vector<uint8_t> valid) {
  valid = MaskFor(values, std::move(valid));
  return Column(std::move(name), ColumnType::kFloat64, std::move(values), std::move(valid));
}

Column Column::Int64(std::string name, std::vector<int64_t> values, std::vector<uint8_t> valid) {
  valid = MaskFor(values, std::move(valid));
  return Column(std::move(name), ColumnType::kInt64, std::move(values), std::move(valid));
}

Column Column::Bool(std::string name, std::vector<uint8_t> values, std::vector<uint8_t> valid) {
  valid = MaskFor(values, std::move(valid));
  return Column(std::move(name), ColumnType::kBool, Bools{std::move(values)}, std::move(valid));
}

Column Column::String(std::string name, std::vector<std::string> values,
                      std::vector<uint8_t> valid) {
  valid = MaskFor(values, std::move(valid));
  return Column(std::move(name), ColumnType::kString, std::move(values), std::move(valid));
}

size_t Column::NullCount() const {
  return static_cast<size_t>(std::count(valid_.begin(), valid_.end(), uint8_t{0}));
}

size_t Column::ValueCount() const {
  return std::visit(
      [](const auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, Bools>) {
          return v.v.size();
        } else {
          return v.size();
        }
      },
      values_);
}

std::vector<std::string> Table::ColumnNames() const {
  std::vector<std::string> names;
  names.reserve(columns_.size());
  for (const Column& c : columns_) names.push_back(c.name());
  return names;
}

Result<size_t> Table::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name() == name) return i;
  }
  return NotFound("no column '" + std::string(name) + "' (columns: " + JoinNames(columns_) + ")");
}

Result<const Column*> Table::Find(std::string_view name) const {
  KILN_ASSIGN_OR_RETURN(size_t i, IndexOf(name));
  return &columns_[i];
}

Status Table::AddColumn(Column column) {
  // Not IndexOf: its NotFound message, the usual outcome here, costs allocations.
  const bool taken = std::any_of(columns_.begin(), columns_.end(),
                                 [&](const Column& c) { return c.name() == column.name(); });
  if (taken) {
    return AlreadyExists("column '" + column.name() + "' already exists");
  }
  if (column.ValueCount() != column.size()) {
    return InvalidArgument("column '" + column.name() + "' has " +
                           std::to_string(column.ValueCount()) + " values but a mask of " +
                           std::to_string(column.size()));
  }
  if (!columns_.empty() && column.size() != num_rows_) {
    return InvalidArgument("column '" + column.name() + "' has " + std::to_string(column.size()) +
                           " rows, the table has " + std::to_string(num_rows_));
  }
  num_rows_ = column.size();
  columns_.push_back(std::move(column));
  return Status::Ok();
}

Result<Table> Table::Select(const std::vector<std::string>& names) const {
  Table out;
  std::unordered_set<std::string> seen;
  for (const std::string& name : names) {
    if (!seen.insert(name).second) {
      return InvalidArgument("column '" + name + "' is selected twice");
    }
    KILN_ASSIGN_OR_RETURN(size_t i, IndexOf(name));
    KILN_RETURN_IF_ERROR(out.AddColumn(columns_[i]));
  }
  return out;
}

Status Table::Drop(std::string_view name) {
  KILN_ASSIGN_OR_RETURN(size_t i, IndexOf(name));
  columns_.erase(columns_.begin() + static_cast<std::ptrdiff_t>(i));
  if (columns_.empty()) num_rows_ = 0;
  return Status::Ok();
}

}  // namespace kiln::ml
