#include "ml/features.h"

#include <algorithm>
#include <cmath>
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

Status CheckMissing(const Column& label) {
  for (size_t row = 0; row < label.size(); ++row) {
    if (!label.IsValid(row)) {
      return InvalidArgument("label column '" + label.name() + "' is missing a value at row " +
                             std::to_string(row + 1));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> FeatureColumns(const Table& table, const std::string& label,
                                                const std::vector<std::string>& chosen) {
  KILN_RETURN_IF_ERROR(table.Find(label).status());
  if (chosen.empty()) {
    std::vector<std::string> out;
    for (const std::string& name : table.ColumnNames()) {
      if (name != label) out.push_back(name);
    }
    if (out.empty()) return InvalidArgument("the table has no column besides the label");
    return out;
  }
  for (const std::string& name : chosen) {
    KILN_RETURN_IF_ERROR(table.Find(name).status());
    if (name == label) return InvalidArgument("the label '" + label + "' cannot be a feature");
  }
  return chosen;
}

namespace {

// Copies rows [begin, end) of `column` into column `c` of the row-major `out` (width `cols`).
template <typename T>
void CopyColumnBlock(const std::vector<T>& values, const std::vector<uint8_t>& valid, size_t c,
                     size_t cols, size_t begin, size_t end, float* out) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (size_t r = begin; r < end; ++r) {
    out[r * cols + c] = valid[r] ? static_cast<float>(values[r]) : nan;
  }
}

void CopyBlock(const Column& column, size_t c, size_t cols, size_t begin, size_t end, float* out) {
  switch (column.type()) {
    case ColumnType::kFloat64:
      return CopyColumnBlock(column.doubles(), column.valid(), c, cols, begin, end, out);
    case ColumnType::kInt64:
      return CopyColumnBlock(column.ints(), column.valid(), c, cols, begin, end, out);
    case ColumnType::kBool:
      return CopyColumnBlock(column.bools(), column.valid(), c, cols, begin, end, out);
    case ColumnType::kString:
      return;
  }
}

}  // namespace

Result<std::vector<float>> FeatureMatrix(const Table& table,
                                         const std::vector<std::string>& features) {
  std::vector<const Column*> columns;
  for (const std::string& name : features) {
    KILN_ASSIGN_OR_RETURN(const Column* column, table.Find(name));
    if (column->type() == ColumnType::kString) {
      return InvalidArgument("column '" + name +
                             "' holds strings: encode it first (preprocess: label_encode or "
                             "one_hot)");
    }
    columns.push_back(column);
  }
  const size_t rows = table.num_rows(), cols = columns.size();
  std::vector<float> out(rows * cols);
  // Blocks of rows keep the strided writes of every column inside the cache.
  constexpr size_t kBlock = 512;
  for (size_t begin = 0; begin < rows; begin += kBlock) {
    const size_t end = std::min(rows, begin + kBlock);
    for (size_t c = 0; c < cols; ++c) CopyBlock(*columns[c], c, cols, begin, end, out.data());
  }
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
      return InvalidArgument("label column '" + label.name() + "' row " + std::to_string(row + 1) +
                             ": '" + CellText(label, row) + "' is not a class seen in training");
    }
    out[row] = it->second;
  }
  return out;
}

}  // namespace kiln::ml
