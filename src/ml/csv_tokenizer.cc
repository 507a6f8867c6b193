#include "ml/csv_tokenizer.h"

#include <cstring>

namespace kiln::ml::csv {

FieldEnd ConsumeFieldEnd(const char*& p, const char* end, char delimiter) {
  if (p == end) return FieldEnd::kRowEnd;
  if (*p == delimiter) {
    ++p;
    return FieldEnd::kDelimiter;
  }
  if (*p == '\n') {
    ++p;
    return FieldEnd::kRowEnd;
  }
  if (*p == '\r' && (p + 1 == end || p[1] == '\n')) {
    p += (p + 1 == end) ? 1 : 2;
    return FieldEnd::kRowEnd;
  }
  return FieldEnd::kTextAfterQuote;
}

FieldEnd ReadField(const char*& p, const char* end, char delimiter, std::string_view& raw) {
  const char* start = p;
  if (p < end && *p == '"') {
    const char* q = p + 1;
    for (;;) {
      q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
      if (q == nullptr) return FieldEnd::kUnterminatedQuote;
      if (q + 1 < end && q[1] == '"') {
        q += 2;  // a doubled quote inside the field
        continue;
      }
      break;
    }
    const char* after = q + 1;
    FieldEnd how = ConsumeFieldEnd(after, end, delimiter);
    if (how == FieldEnd::kTextAfterQuote) return how;
    raw = std::string_view(start, static_cast<size_t>(q + 1 - start));
    p = after;
    return how;
  }
  while (p < end && *p != delimiter && *p != '\n') ++p;
  const char* stop = p;
  // A CR right before the LF (or the end of input) belongs to the row end.
  if (stop > start && stop[-1] == '\r' && (p == end || *p == '\n')) --stop;
  raw = std::string_view(start, static_cast<size_t>(stop - start));
  if (p == end) return FieldEnd::kRowEnd;
  ++p;
  return p[-1] == delimiter ? FieldEnd::kDelimiter : FieldEnd::kRowEnd;
}

std::string FieldValue(std::string_view raw) {
  if (raw.empty() || raw.front() != '"') return std::string(raw);
  std::string_view inner = FieldContent(raw);
  std::string out;
  out.reserve(inner.size());
  for (size_t i = 0; i < inner.size(); ++i) {
    out += inner[i];
    if (inner[i] == '"') ++i;  // skip the second quote of a doubled pair
  }
  return out;
}

size_t CountFields(const char* p, const char* end, char delimiter) {
  size_t n = 0;
  std::string_view raw;
  for (;;) {
    ++n;
    FieldEnd how = ReadField(p, end, delimiter, raw);
    if (how != FieldEnd::kDelimiter) return n;
  }
}

}  // namespace kiln::ml::csv
