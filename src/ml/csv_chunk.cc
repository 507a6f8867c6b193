#include "ml/csv_chunk.h"

#include <algorithm>
#include <charconv>

#include "ml/csv_tokenizer.h"

namespace kiln::ml::csv {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AtFieldEnd(const char* p, const char* end, char delimiter) {
  return p == end || *p == delimiter || IsRowEnd(p, end);
}

// Parses an unquoted number in place when the builder is numeric and the field is a plain
// number; on success moves `p` to the field's end. The hot path of numeric files: it saves
// scanning each field twice.
bool TryFastNumber(const char*& p, const char* end, char delimiter, const MissingSet& missing,
                   ColumnBuilder& builder) {
  char c = *p;
  if (!(IsDigit(c) || (c == '-' && p + 1 < end && IsDigit(p[1]))) || missing.MayStartWith(c)) {
    return false;
  }
  if (builder.kind() == Kind::kInt) {
    int64_t v;
    auto [ptr, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || !AtFieldEnd(ptr, end, delimiter)) return false;
    builder.AddInt(v);
    p = ptr;
    return true;
  }
  if (builder.kind() == Kind::kFloat) {
    double v;
    auto [ptr, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || !AtFieldEnd(ptr, end, delimiter)) return false;
    builder.AddDouble(v);
    p = ptr;
    return true;
  }
  return false;
}

ChunkError MakeError(ChunkError::Kind kind, const char* at, size_t column,
                     std::string_view raw = {}) {
  ChunkError e;
  e.kind = kind;
  e.at = at;
  e.column = column;
  e.raw = raw;
  return e;
}

// Parses one row starting at `p` into the builders; moves `p` past it.
ChunkError ParseRow(const char*& p, const char* end, const ChunkSpec& spec,
                    std::vector<ColumnBuilder>& builders) {
  const char* row = p;
  const size_t n = builders.size();
  for (size_t j = 0; j < n; ++j) {
    const char* field = p;
    FieldEnd how;
    if (p < end && TryFastNumber(p, end, spec.delimiter, *spec.missing, builders[j])) {
      how = ConsumeFieldEnd(p, end, spec.delimiter);
    } else {
      std::string_view raw;
      how = ReadField(p, end, spec.delimiter, raw);
      if (how == FieldEnd::kUnterminatedQuote) {
        return MakeError(ChunkError::kUnterminatedQuote, field, j);
      }
      if (how == FieldEnd::kTextAfterQuote) return MakeError(ChunkError::kTextAfterQuote, field, j);
      if (!builders[j].Add(raw, *spec.missing)) {
        return MakeError(ChunkError::kBadValue, field, j, raw);
      }
    }
    bool last = j + 1 == n;
    if ((how == FieldEnd::kRowEnd) != last) return MakeError(ChunkError::kRagged, row, j);
  }
  return ChunkError{};
}

}  // namespace

ChunkResult ParseChunk(const char* begin, const char* end, const ChunkSpec& spec) {
  ChunkResult result;
  // Rows are at most the line count; reserving it avoids regrowing the value vectors.
  size_t expected = static_cast<size_t>(std::count(begin, end, '\n')) + 1;
  result.builders.reserve(spec.kinds.size());
  for (size_t j = 0; j < spec.kinds.size(); ++j) {
    result.builders.emplace_back(spec.kinds[j], spec.declared[j], expected);
  }
  const char* p = begin;
  while (p < end) {
    if (IsBlankLine(p, end)) {
      SkipRowEnd(p, end);
      continue;
    }
    result.error = ParseRow(p, end, spec, result.builders);
    if (result.error.kind != ChunkError::kNone) break;
  }
  return result;
}

std::vector<std::vector<std::string_view>> CollectTexts(const char* begin, const char* end,
                                                        char delimiter,
                                                        const std::vector<bool>& need) {
  std::vector<std::vector<std::string_view>> texts(need.size());
  const char* p = begin;
  std::string_view raw;
  while (p < end) {
    if (IsBlankLine(p, end)) {
      SkipRowEnd(p, end);
      continue;
    }
    for (size_t j = 0; j < need.size(); ++j) {
      ReadField(p, end, delimiter, raw);
      if (need[j]) texts[j].push_back(raw);
    }
  }
  return texts;
}

}  // namespace kiln::ml::csv
