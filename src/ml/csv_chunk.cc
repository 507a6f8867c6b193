#include "ml/csv_chunk.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "ml/csv_fast_number.h"
#include "ml/csv_tokenizer.h"

namespace kiln::ml::csv {
namespace {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

inline bool AtFieldEnd(const char* p, const char* end, char delimiter) {
  return p == end || *p == delimiter || IsRowEnd(p, end);
}

// Parses an unquoted number in place when the builder is numeric and the field is a plain
// number; on success moves `p` to the field's end. The hot path of numeric files: each field
// is scanned once, without from_chars for the common short decimals.
inline bool TryFastNumber(const char*& p, const char* end, char delimiter,
                          const MissingSet& missing, ColumnBuilder& builder) {
  char c = *p;
  if (!(IsDigit(c) || (c == '-' && p + 1 < end && IsDigit(p[1]))) || missing.MayStartWith(c)) {
    return false;
  }
  Kind kind = builder.kind();
  if (kind != Kind::kInt && kind != Kind::kFloat) return false;
  PlainNumber n;
  const char* q = ScanPlainNumber(p, end, n);
  if (q != nullptr && AtFieldEnd(q, end, delimiter)) {
    double d;
    if (kind == Kind::kInt && !n.has_dot) {
      builder.AddInt(PlainInt(n));
    } else if (kind == Kind::kFloat && PlainDouble(n, d)) {
      builder.AddDouble(d);
    } else {
      return false;  // an int column meeting a float: the generic path widens it
    }
    p = q;
    return true;
  }
  if (kind != Kind::kFloat) return false;
  double v;
  auto [ptr, ec] = std::from_chars(p, end, v);
  if (ec != std::errc() || !AtFieldEnd(ptr, end, delimiter)) return false;
  builder.AddDouble(v);
  p = ptr;
  return true;
}

// Lines in [begin, end), counting a last unterminated one.
size_t CountLines(const char* begin, const char* end) {
  size_t lines = 1;
  for (const char* p = begin; p < end; ++lines) {
    p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    if (p == nullptr) break;
    ++p;
  }
  return lines;
}

// Rows to reserve: exact for small inputs; else extrapolated from the first 64 KiB with a
// margin (an extra pass over a large input costs as much as a tenth of the parse, and reserved
// but unused capacity is never touched). Vectors still grow if the guess is short.
size_t EstimateRows(const char* begin, const char* end) {
  constexpr size_t kSample = 64 << 10;
  size_t size = static_cast<size_t>(end - begin);
  if (size <= kSample) return CountLines(begin, end);
  size_t lines = CountLines(begin, begin + kSample);
  // Every row takes at least two bytes, which bounds a guess thrown off by a short first lines.
  return std::min(size / kSample * lines * 5 / 4 + 1024, size / 2 + 1);
}

ChunkError MakeError(ChunkError::Kind kind, const char* at, const char* field, size_t column,
                     std::string_view raw = {}) {
  ChunkError e;
  e.kind = kind;
  e.at = at;
  e.field = field;
  e.column = column;
  e.raw = raw;
  return e;
}

// Reads field j into its builder (or only past it when another thread owns the column).
inline ChunkError ParseField(const char*& p, const char* end, const ChunkSpec& spec, size_t j,
                             ColumnBuilder& builder, FieldEnd& how) {
  const char* field = p;
  bool owned = spec.owned.empty() || spec.owned[j];
  if (owned && p < end && TryFastNumber(p, end, spec.delimiter, *spec.missing, builder)) {
    how = ConsumeFieldEnd(p, end, spec.delimiter);
    return ChunkError{};
  }
  std::string_view raw;
  how = ReadField(p, end, spec.delimiter, raw);
  if (how == FieldEnd::kUnterminatedQuote) {
    return MakeError(ChunkError::kUnterminatedQuote, field, field, j);
  }
  if (how == FieldEnd::kTextAfterQuote) {
    return MakeError(ChunkError::kTextAfterQuote, field, field, j);
  }
  if (owned && !builder.Add(raw, *spec.missing)) {
    return MakeError(ChunkError::kBadValue, field, field, j, raw);
  }
  return ChunkError{};
}

// Parses one row starting at `p` into the builders; moves `p` past it.
ChunkError ParseRow(const char*& p, const char* end, const ChunkSpec& spec,
                    std::vector<ColumnBuilder>& builders) {
  const char* row = p;
  const size_t n = builders.size();
  for (size_t j = 0; j < n; ++j) {
    const char* field = p;
    FieldEnd how;
    ChunkError error = ParseField(p, end, spec, j, builders[j], how);
    if (error.kind != ChunkError::kNone) return error;
    bool last = j + 1 == n;
    if ((how == FieldEnd::kRowEnd) != last) return MakeError(ChunkError::kRagged, row, field, j);
  }
  return ChunkError{};
}

}  // namespace

ChunkResult ParseChunk(const char* begin, const char* end, const ChunkSpec& spec) {
  ChunkResult result;
  size_t expected = EstimateRows(begin, end);
  result.builders.reserve(spec.kinds.size());
  for (size_t j = 0; j < spec.kinds.size(); ++j) {
    bool owned = spec.owned.empty() || spec.owned[j];
    result.builders.emplace_back(spec.kinds[j], spec.declared[j], owned ? expected : 0);
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
