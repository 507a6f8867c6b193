// Table: an in-memory columnar table for the built-in ML modules. Each column has a name, a
// type and a validity (null) mask; all columns have the same number of rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace kiln::ml {

enum class ColumnType : uint8_t { kFloat64 = 0, kInt64 = 1, kBool = 2, kString = 3 };

// "float64", "int64", "bool" or "string". Never fails.
const char* ColumnTypeName(ColumnType type);

// One named, typed column: a value vector and a validity mask of the same length (1 = present,
// 0 = missing; the value slot under a missing entry is 0, false or ""). A value type; not
// thread-safe for concurrent mutation, safe for concurrent reads.
class Column {
 public:
  // An empty column of `type`.
  Column(std::string name, ColumnType type);

  // Columns owning `values`; an empty `valid` means every entry is present.
  static Column Float64(std::string name, std::vector<double> values,
                        std::vector<uint8_t> valid = {});
  static Column Int64(std::string name, std::vector<int64_t> values,
                      std::vector<uint8_t> valid = {});
  // Bools are stored one byte each (0 or 1).
  static Column Bool(std::string name, std::vector<uint8_t> values,
                     std::vector<uint8_t> valid = {});
  static Column String(std::string name, std::vector<std::string> values,
                       std::vector<uint8_t> valid = {});

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  ColumnType type() const { return type_; }
  // Number of values.
  size_t size() const { return valid_.size(); }
  // Whether row `i` holds a value (i < size()).
  bool IsValid(size_t i) const { return valid_[i] != 0; }
  // Number of missing entries.
  size_t NullCount() const;

  // The validity mask, one byte per row.
  const std::vector<uint8_t>& valid() const { return valid_; }
  std::vector<uint8_t>& mutable_valid() { return valid_; }

  // Typed value vectors; each may only be called on a column of the matching type (a bug
  // otherwise: std::bad_variant_access). Mutators must keep the length equal to valid().
  const std::vector<double>& doubles() const { return std::get<std::vector<double>>(values_); }
  const std::vector<int64_t>& ints() const { return std::get<std::vector<int64_t>>(values_); }
  const std::vector<uint8_t>& bools() const { return std::get<Bools>(values_).v; }
  const std::vector<std::string>& strings() const {
    return std::get<std::vector<std::string>>(values_);
  }
  std::vector<double>& mutable_doubles() { return std::get<std::vector<double>>(values_); }
  std::vector<int64_t>& mutable_ints() { return std::get<std::vector<int64_t>>(values_); }
  std::vector<uint8_t>& mutable_bools() { return std::get<Bools>(values_).v; }
  std::vector<std::string>& mutable_strings() {
    return std::get<std::vector<std::string>>(values_);
  }

  // Number of values in the typed vector (equals size() in a well-formed column).
  size_t ValueCount() const;

 private:
  // Distinct from the validity mask's type so the variant alternatives are unambiguous.
  struct Bools {
    std::vector<uint8_t> v;
  };
  using Values =
      std::variant<std::vector<double>, std::vector<int64_t>, Bools, std::vector<std::string>>;

  Column(std::string name, ColumnType type, Values values, std::vector<uint8_t> valid);

  std::string name_;
  ColumnType type_;
  Values values_;
  std::vector<uint8_t> valid_;
};

// An ordered set of uniquely named columns of equal length. A value type; safe for concurrent
// reads, not for concurrent mutation.
class Table {
 public:
  Table() = default;

  // Row count; 0 when there are no columns.
  size_t num_rows() const { return num_rows_; }
  size_t num_columns() const { return columns_.size(); }
  const std::vector<Column>& columns() const { return columns_; }
  // Column `i` (i < num_columns()).
  const Column& column(size_t i) const { return columns_[i]; }
  // Names of all columns, in order.
  std::vector<std::string> ColumnNames() const;

  // Index of the column named `name`. Errors: kNotFound "no column 'x' (columns: a, b)".
  Result<size_t> IndexOf(std::string_view name) const;
  // The column named `name`, owned by the table and valid until it is mutated. Errors as
  // IndexOf.
  Result<const Column*> Find(std::string_view name) const;

  // Appends `column`. Errors: kAlreadyExists (name taken), kInvalidArgument (its length or
  // mask length differs from num_rows(); the first column sets num_rows()).
  Status AddColumn(Column column);
  // A new table holding copies of the named columns in the given order. Errors as IndexOf,
  // kInvalidArgument when a name is repeated.
  Result<Table> Select(const std::vector<std::string>& names) const;
  // Removes the named column (a table without columns has 0 rows). Errors as IndexOf.
  Status Drop(std::string_view name);

 private:
  std::vector<Column> columns_;
  size_t num_rows_ = 0;
};

}  // namespace kiln::ml
