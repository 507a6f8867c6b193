#include "ml/features.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>

#include "ml/table_rows.h"

namespace kiln::ml {
namespace {

float CellFloat(const Column& column, size_t row) {
  if (!column.IsValid(row)) return std::numeric_limits<float>::quiet_NaN();
  switch (column.type()) {
    case ColumnType::kFloat64:
      return static_cast<float>(column.doubles()[row]);
    case ColumnType::kInt64:
      return static_cast<float>(column.ints()[row]);
    case ColumnType::kBool:
      return column.bools()[row] ? 1.0f : 0.0f;
    case ColumnType::kString:
      break;
  }
  return std::numeric_limits<float>::quiet_NaN();
}

Status CheckColumn(const std::vector<std::string>& columns, const std::string& name) {
  if (std::find(columns.begin(), columns.end(), name) != columns.end()) return Status::Ok();
  std::string names;
  for (const std::string& c : columns) names += (names.empty() ? "" : ", ") + c;
  return NotFound("no column '" + name + "' (columns: " + names + ")");
}

Status CheckMissing(const Column& label) {
  for (size_t row = 0; row < label.size(); ++row) {
    if (!label.IsValid(row)) {
      return InvalidArgument("label column '" + label.name() + "' is missing a value at row " +
                             std::to_string(row));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> FeatureColumns(const Table& table, const std::string& label,
                                                const std::vector<std::string>& chosen) {
  return FeatureColumns(table.ColumnNames(), label, chosen);
}

Result<std::vector<std::string>> FeatureColumns(const std::vector<std::string>& columns,
                                                const std::string& label,
                                                const std::vector<std::string>& chosen) {
  KILN_RETURN_IF_ERROR(CheckColumn(columns, label));
  if (chosen.empty()) {
    std::vector<std::string> out;
    for (const std::string& name : columns) {
      if (name != label) out.push_back(name);
    }
    if (out.empty()) return InvalidArgument("the table has no column besides the label");
    return out;
  }
  for (const std::string& name : chosen) {
    KILN_RETURN_IF_ERROR(CheckColumn(columns, name));
    if (name == label) return InvalidArgument("the label '" + label + "' cannot be a feature");
  }
  return chosen;
}

Status CheckNumericFeature(const std::string& name, ColumnType type) {
  if (type != ColumnType::kString) return Status::Ok();
  return InvalidArgument("column '" + name +
                         "' holds strings: encode it first (preprocess: label_encode or one_hot)");
}

namespace {

// Copies rows [begin, end) of `column` (values of type T) into column `c` of the row-major `out`
// (width `cols`).
template <typename T>
void CopyColumnBlock(const ColumnRef& column, size_t c, size_t cols, size_t begin, size_t end,
                     float* out) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (size_t r = begin; r < end; ++r) {
    T v;
    std::memcpy(&v, column.values + r * sizeof(T), sizeof(T));
    out[r * cols + c] = column.valid[r] ? static_cast<float>(v) : nan;
  }
}

void CopyBlock(const ColumnRef& column, size_t c, size_t cols, size_t begin, size_t end,
               float* out) {
  switch (column.type) {
    case ColumnType::kFloat64:
      return CopyColumnBlock<double>(column, c, cols, begin, end, out);
    case ColumnType::kInt64:
      return CopyColumnBlock<int64_t>(column, c, cols, begin, end, out);
    case ColumnType::kBool:
      return CopyColumnBlock<uint8_t>(column, c, cols, begin, end, out);
    case ColumnType::kString:
      return;
  }
}

}  // namespace

void FillFeatureRows(const std::vector<ColumnRef>& columns, size_t rows, float* out) {
  // Blocks of rows keep the strided writes of every column inside the cache.
  constexpr size_t kBlock = 512;
  const size_t cols = columns.size();
  for (size_t b = 0; b < rows; b += kBlock) {
    const size_t e = std::min(rows, b + kBlock);
    for (size_t c = 0; c < cols; ++c) CopyBlock(columns[c], c, cols, b, e, out);
  }
}

Result<std::vector<float>> FeatureMatrix(const Table& table,
                                         const std::vector<std::string>& features) {
  std::vector<ColumnRef> columns;
  for (const std::string& name : features) {
    KILN_ASSIGN_OR_RETURN(const Column* column, table.Find(name));
    KILN_RETURN_IF_ERROR(CheckNumericFeature(name, column->type()));
    columns.push_back(RefOf(*column));
  }
  std::vector<float> out(table.num_rows() * columns.size());
  FillFeatureRows(columns, table.num_rows(), out.data());
  return out;
}

Result<std::vector<std::string>> LabelClasses(const Column& label) {
  KILN_RETURN_IF_ERROR(CheckMissing(label));
  std::set<std::string> distinct;
  for (size_t row = 0; row < label.size(); ++row) distinct.insert(CellText(label, row));
  return std::vector<std::string>(distinct.begin(), distinct.end());
}

Result<std::vector<float>> EncodeLabels(const Column& label,
                                        const std::vector<std::string>& classes) {
  KILN_RETURN_IF_ERROR(CheckMissing(label));
  std::vector<float> out(label.size());
  if (classes.empty()) {
    if (label.type() == ColumnType::kString) {
      return InvalidArgument("label column '" + label.name() + "' holds strings: not a number");
    }
    for (size_t row = 0; row < label.size(); ++row) out[row] = CellFloat(label, row);
    return out;
  }
  std::map<std::string, float> index;
  for (size_t i = 0; i < classes.size(); ++i) index[classes[i]] = static_cast<float>(i);
  for (size_t row = 0; row < label.size(); ++row) {
    auto it = index.find(CellText(label, row));
    if (it == index.end()) {
      return InvalidArgument("label column '" + label.name() + "' row " + std::to_string(row) +
                             ": '" + CellText(label, row) + "' is not a class seen in training");
    }
    out[row] = it->second;
  }
  return out;
}

}  // namespace kiln::ml
