#include "ml/csv_assemble.h"

#include <algorithm>
#include <utility>

#include "ml/csv_tokenizer.h"
#include "ml/csv_values.h"
#include "ml/parallel_for.h"

namespace kiln::ml::csv {
namespace {

// The builder's kind, except float64 for a column without any value.
Kind InferredKind(const ColumnBuilder& b) { return b.present() == 0 ? Kind::kFloat : b.kind(); }

// Re-reads, in one pass, the raw texts of text columns whose first values were numbers.
void CompleteTexts(const char* begin, const char* end, std::vector<ColumnBuilder>& builders,
                   const std::vector<Kind>& kinds, char delimiter) {
  std::vector<bool> need(kinds.size());
  bool any = false;
  for (size_t j = 0; j < kinds.size(); ++j) {
    need[j] = kinds[j] == Kind::kText && !builders[j].HasAllTexts();
    any = any || need[j];
  }
  if (!any) return;
  auto texts = CollectTexts(begin, end, delimiter, need);
  for (size_t j = 0; j < kinds.size(); ++j) {
    if (need[j]) builders[j].SetTexts(std::move(texts[j]));
  }
}

// The builder's numbers as doubles (ints converted when a column without values stayed int).
std::vector<double> Doubles(ColumnBuilder& b) {
  if (b.kind() == Kind::kFloat) return std::move(b.doubles());
  return std::vector<double>(b.ints().begin(), b.ints().end());
}

// A bool column if every present text is true/false, else a string column.
Column TextColumn(const std::string& name, std::vector<std::string_view> texts,
                  std::vector<uint8_t> valid, bool may_be_bool) {
  std::vector<uint8_t> bools(texts.size(), 0);
  for (size_t i = 0; may_be_bool && i < texts.size(); ++i) {
    if (valid[i] && !ParseBool(FieldContent(texts[i]), bools[i])) may_be_bool = false;
  }
  if (may_be_bool) return Column::Bool(name, std::move(bools), std::move(valid));
  std::vector<std::string> strings(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    if (valid[i]) strings[i] = FieldValue(texts[i]);
  }
  return Column::String(name, std::move(strings), std::move(valid));
}

Column BuildColumn(ColumnBuilder& b, const std::string& name, Kind kind, bool declared) {
  std::vector<uint8_t> valid = std::move(b.valid());
  switch (kind) {
    case Kind::kInt:
      return Column::Int64(name, std::move(b.ints()), std::move(valid));
    case Kind::kFloat:
      return Column::Float64(name, Doubles(b), std::move(valid));
    case Kind::kBool:
      return Column::Bool(name, std::move(b.bools()), std::move(valid));
    case Kind::kText:
      break;
  }
  return TextColumn(name, std::move(b.texts()), std::move(valid), !declared);
}

}  // namespace

Kind KindFor(ColumnType type) {
  switch (type) {
    case ColumnType::kInt64:
      return Kind::kInt;
    case ColumnType::kFloat64:
      return Kind::kFloat;
    case ColumnType::kBool:
      return Kind::kBool;
    case ColumnType::kString:
      return Kind::kText;
  }
  return Kind::kText;
}

Table AssembleTable(const char* begin, const char* end, std::vector<ColumnBuilder>& builders,
                    const std::vector<std::string>& names,
                    const std::vector<std::optional<ColumnType>>& declared, char delimiter,
                    size_t threads) {
  std::vector<Kind> kinds(names.size());
  for (size_t j = 0; j < names.size(); ++j) {
    kinds[j] = declared[j] ? KindFor(*declared[j]) : InferredKind(builders[j]);
  }
  CompleteTexts(begin, end, builders, kinds, delimiter);
  // Converting texts to strings touches every value: split the columns over the threads.
  std::vector<std::optional<Column>> columns(names.size());
  threads = std::clamp<size_t>(threads, 1, names.size());
  ParallelFor(threads, [&](size_t t) {
    for (size_t j = t; j < names.size(); j += threads) {
      columns[j] = BuildColumn(builders[j], names[j], kinds[j], declared[j].has_value());
    }
  });
  Table table;
  for (std::optional<Column>& column : columns) {
    // Names are unique and all columns have the same row count, so this cannot fail.
    table.AddColumn(std::move(*column)).IgnoreError();
  }
  return table;
}

}  // namespace kiln::ml::csv
