// split: rows into train and test (random or stratified by a column), reproducible by seed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>

#include "ml/builtin_impls.h"
#include "ml/table_file.h"
#include "ml/table_rows.h"

namespace kiln::ml {
namespace {

// A uniform integer below `n`, the same on every platform (std distributions are not).
uint64_t Below(std::mt19937_64& rng, uint64_t n) {
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do {
    x = rng();
  } while (x >= limit);
  return x % n;
}

void Shuffle(std::vector<size_t>& rows, std::mt19937_64& rng) {
  for (size_t i = rows.size(); i > 1; --i) std::swap(rows[i - 1], rows[Below(rng, i)]);
}

// Row groups: one of every row, or one per value of the stratify column, in value order.
Result<std::vector<std::vector<size_t>>> Groups(const Table& table, const std::string& stratify) {
  std::vector<size_t> all(table.num_rows());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  if (stratify.empty()) return std::vector<std::vector<size_t>>{all};
  KILN_ASSIGN_OR_RETURN(const Column* column, table.Find(stratify));
  std::map<std::string, std::vector<size_t>> by_value;
  for (size_t row : all) {
    if (!column->IsValid(row)) {
      return InvalidArgument("column '" + stratify + "' is missing a value at row " +
                             std::to_string(row) + " (stratify needs every value)");
    }
    by_value[CellText(*column, row)].push_back(row);
  }
  std::vector<std::vector<size_t>> groups;
  for (auto& [value, rows] : by_value) groups.push_back(std::move(rows));
  return groups;
}

}  // namespace

Status RunSplit(const BuiltinStep& step) {
  KILN_ASSIGN_OR_RETURN(std::string input, step.Input("table"));
  KILN_ASSIGN_OR_RETURN(Table table, ReadTable(input));
  KILN_ASSIGN_OR_RETURN(double test_fraction, step.Float("test_fraction"));
  KILN_ASSIGN_OR_RETURN(int64_t seed, step.Int("seed"));
  KILN_ASSIGN_OR_RETURN(std::string stratify, step.String("stratify"));
  if (!(test_fraction > 0 && test_fraction < 1)) {
    return InvalidArgument("param 'test_fraction' must be between 0 and 1 (exclusive)");
  }
  if (table.num_rows() < 2) {
    return InvalidArgument("the table has " + std::to_string(table.num_rows()) +
                           " row(s); split needs at least 2");
  }
  KILN_ASSIGN_OR_RETURN(auto groups, Groups(table, stratify));
  std::mt19937_64 rng(static_cast<uint64_t>(seed));
  std::vector<size_t> train, test;
  for (std::vector<size_t>& rows : groups) {
    Shuffle(rows, rng);
    const auto n_test = static_cast<size_t>(std::llround(test_fraction * rows.size()));
    test.insert(test.end(), rows.begin(), rows.begin() + n_test);
    train.insert(train.end(), rows.begin() + n_test, rows.end());
  }
  // Keep the original row order inside each part: easier to read, same content.
  std::sort(train.begin(), train.end());
  std::sort(test.begin(), test.end());
  if (train.empty() || test.empty()) {
    return InvalidArgument("test_fraction " + std::to_string(test_fraction) + " of " +
                           std::to_string(table.num_rows()) + " rows leaves one part empty");
  }
  KILN_ASSIGN_OR_RETURN(std::string train_path, step.Output("train"));
  KILN_ASSIGN_OR_RETURN(std::string test_path, step.Output("test"));
  KILN_RETURN_IF_ERROR(WriteTable(TakeRows(table, train), train_path));
  KILN_RETURN_IF_ERROR(WriteTable(TakeRows(table, test), test_path));
  KILN_RETURN_IF_ERROR(step.LogMetric("train_rows", static_cast<double>(train.size())));
  return step.LogMetric("test_rows", static_cast<double>(test.size()));
}

}  // namespace kiln::ml
