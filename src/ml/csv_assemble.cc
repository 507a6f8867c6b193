#include "ml/csv_assemble.h"

#include <algorithm>
#include <utility>

#include "ml/csv_tokenizer.h"
#include "ml/csv_values.h"
#include "ml/parallel_for.h"

namespace kiln::ml::csv {
namespace {

ColumnBuilder& BuilderOf(ParsedChunk& chunk, size_t j) { return chunk.result.builders[j]; }

// The widest kind any chunk holds for column j; float64 for a column without any value.
Kind InferredKind(std::vector<ParsedChunk>& chunks, size_t j) {
  Kind kind = Kind::kInt;
  size_t present = 0;
  for (ParsedChunk& c : chunks) {
    kind = std::max(kind, BuilderOf(c, j).kind());
    present += BuilderOf(c, j).present();
  }
  return present == 0 ? Kind::kFloat : kind;
}

// Re-reads the raw texts of text columns that some chunk first read as numbers.
void CompleteTexts(std::vector<ParsedChunk>& chunks, const std::vector<Kind>& kinds,
                   char delimiter) {
  for (ParsedChunk& c : chunks) {
    std::vector<bool> need(kinds.size());
    bool any = false;
    for (size_t j = 0; j < kinds.size(); ++j) {
      need[j] = kinds[j] == Kind::kText && !BuilderOf(c, j).HasAllTexts();
      any = any || need[j];
    }
    if (!any) continue;
    auto texts = CollectTexts(c.begin, c.end, delimiter, need);
    for (size_t j = 0; j < kinds.size(); ++j) {
      if (need[j]) BuilderOf(c, j).SetTexts(std::move(texts[j]));
    }
  }
}

// Concatenates the vectors `get` returns for each chunk, moving when there is one chunk.
template <typename T, typename Get>
std::vector<T> Concat(std::vector<ParsedChunk>& chunks, size_t j, Get get) {
  if (chunks.size() == 1) return std::move(get(BuilderOf(chunks[0], j)));
  std::vector<T> out;
  size_t total = 0;
  for (ParsedChunk& c : chunks) total += BuilderOf(c, j).rows();
  ReserveLarge(out, total);
  for (ParsedChunk& c : chunks) {
    std::vector<T>& part = get(BuilderOf(c, j));
    out.insert(out.end(), part.begin(), part.end());
    part = {};
  }
  return out;
}

std::vector<double> ConcatDoubles(std::vector<ParsedChunk>& chunks, size_t j) {
  if (chunks.size() == 1 && BuilderOf(chunks[0], j).kind() == Kind::kFloat) {
    return std::move(BuilderOf(chunks[0], j).doubles());
  }
  std::vector<double> out;
  size_t total = 0;
  for (ParsedChunk& c : chunks) total += BuilderOf(c, j).rows();
  ReserveLarge(out, total);
  for (ParsedChunk& c : chunks) {
    ColumnBuilder& b = BuilderOf(c, j);
    if (b.kind() == Kind::kInt) {
      out.insert(out.end(), b.ints().begin(), b.ints().end());
    } else {
      out.insert(out.end(), b.doubles().begin(), b.doubles().end());
    }
  }
  return out;
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

Column BuildColumn(std::vector<ParsedChunk>& chunks, size_t j, const std::string& name, Kind kind,
                   bool declared) {
  auto valid = Concat<uint8_t>(
      chunks, j, [](ColumnBuilder & b) -> auto& { return b.valid(); });
  switch (kind) {
    case Kind::kInt:
      return Column::Int64(name,
                           Concat<int64_t>(
                               chunks, j, [](ColumnBuilder & b) -> auto& { return b.ints(); }),
                           std::move(valid));
    case Kind::kFloat:
      return Column::Float64(name, ConcatDoubles(chunks, j), std::move(valid));
    case Kind::kBool:
      return Column::Bool(name,
                          Concat<uint8_t>(
                              chunks, j, [](ColumnBuilder & b) -> auto& { return b.bools(); }),
                          std::move(valid));
    case Kind::kText:
      break;
  }
  auto texts = Concat<std::string_view>(
      chunks, j, [](ColumnBuilder & b) -> auto& { return b.texts(); });
  return TextColumn(name, std::move(texts), std::move(valid), !declared);
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

Table AssembleTable(std::vector<ParsedChunk>& chunks, const std::vector<std::string>& names,
                    const std::vector<std::optional<ColumnType>>& declared, char delimiter,
                    size_t threads) {
  std::vector<Kind> kinds(names.size());
  for (size_t j = 0; j < names.size(); ++j) {
    kinds[j] = declared[j] ? KindFor(*declared[j]) : InferredKind(chunks, j);
  }
  CompleteTexts(chunks, kinds, delimiter);
  // Converting texts to strings and concatenating chunks touch every value: split the columns
  // over the threads.
  std::vector<std::optional<Column>> columns(names.size());
  threads = std::clamp<size_t>(threads, 1, names.size());
  ParallelFor(threads, [&](size_t t) {
    for (size_t j = t; j < names.size(); j += threads) {
      columns[j] = BuildColumn(chunks, j, names[j], kinds[j], declared[j].has_value());
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
