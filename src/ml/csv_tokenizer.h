// Low-level CSV tokenizing shared by the reader: one field at a time over a buffer, with
// RFC 4180 quotes and LF / CRLF row ends. Internal to ml/.
#pragma once

#include <string>
#include <string_view>

namespace kiln::ml::csv {

// How a field ended.
enum class FieldEnd {
  kDelimiter,          // more fields follow in the row
  kRowEnd,             // end of row (LF, CRLF or end of input)
  kUnterminatedQuote,  // a quoted field runs to the end of input
  kTextAfterQuote,     // a closing quote is followed by something other than a delimiter/row end
};

// True if `p` (< end) starts a row end: LF, or CR followed by LF or the end of input.
inline bool IsRowEnd(const char* p, const char* end) {
  return *p == '\n' || (*p == '\r' && (p + 1 == end || p[1] == '\n'));
}

// Consumes the delimiter or row end at `p` (p may equal end). Returns kTextAfterQuote, without
// moving, if `p` is at anything else.
FieldEnd ConsumeFieldEnd(const char*& p, const char* end, char delimiter);

// Reads one field starting at `p`: `raw` is its text including surrounding quotes when quoted
// (a row-ending CR is excluded), and `p` moves past its delimiter or row end. On an error `p`
// is left at the field start.
FieldEnd ReadField(const char*& p, const char* end, char delimiter, std::string_view& raw);

// The content of a raw field: quotes removed, but doubled quotes still doubled.
inline std::string_view FieldContent(std::string_view raw) {
  if (raw.size() >= 2 && raw.front() == '"') return raw.substr(1, raw.size() - 2);
  return raw;
}

// The value of a raw field: quotes removed and doubled quotes undoubled.
std::string FieldValue(std::string_view raw);

// True if `p` (< end) is the start of a blank line (LF or CRLF alone).
inline bool IsBlankLine(const char* p, const char* end) { return IsRowEnd(p, end); }

// Moves `p` past a blank line.
inline void SkipRowEnd(const char*& p, const char* end) {
  p += (*p == '\r' && p + 1 < end) ? 2 : 1;
}

// Number of fields in the row starting at `p`, counting until the row end or an error.
size_t CountFields(const char* p, const char* end, char delimiter);

}  // namespace kiln::ml::csv
