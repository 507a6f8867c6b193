#include "ml/table_file.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <new>

#include "ml/file_io.h"
#include "ml/table_file_view.h"

namespace kiln::ml {
namespace {

static_assert(std::endian::native == std::endian::little, "the .ktab layout is little-endian");

template <typename T>
void Put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(v));
}

template <typename T>
void PutVector(std::string& out, const std::vector<T>& v) {
  out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

void PutStrings(std::string& out, const std::vector<std::string>& strings) {
  uint64_t offset = 0;
  Put(out, offset);
  for (const std::string& s : strings) Put(out, offset += s.size());
  for (const std::string& s : strings) out += s;
}

void PutValues(std::string& out, const Column& c) {
  switch (c.type()) {
    case ColumnType::kFloat64:
      return PutVector(out, c.doubles());
    case ColumnType::kInt64:
      return PutVector(out, c.ints());
    case ColumnType::kBool:
      return PutVector(out, c.bools());
    case ColumnType::kString:
      return PutStrings(out, c.strings());
  }
}

// `s` as a CSV field, quoted when it holds a delimiter, quote or line break.
void AppendCsvField(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void AppendDouble(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, ptr);
  // "1.0", not "1": read back, a whole number would become an int column.
  if (std::isfinite(v) &&
      std::string_view(buf, ptr - buf).find_first_of(".e") == std::string_view::npos) {
    out += ".0";
  }
}

void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, ptr);
}

void AppendCell(std::string& out, const Column& c, size_t row) {
  if (!c.IsValid(row)) return;
  switch (c.type()) {
    case ColumnType::kFloat64:
      return AppendDouble(out, c.doubles()[row]);
    case ColumnType::kInt64:
      return AppendInt(out, c.ints()[row]);
    case ColumnType::kBool:
      out += c.bools()[row] ? "true" : "false";
      return;
    case ColumnType::kString:
      return AppendCsvField(out, c.strings()[row]);
  }
}

// Every column of `view`, copied (names in a view are unique and lengths equal).
Result<Table> CopyTable(const TableFileView& view) {
  Table table;
  for (size_t i = 0; i < view.num_columns(); ++i) {
    KILN_ASSIGN_OR_RETURN(Column column, view.CopyColumn(i));
    KILN_RETURN_IF_ERROR(table.AddColumn(std::move(column)));
  }
  return table;
}

Status OutOfMemory(const std::string& path) {
  return ResourceExhausted("not enough memory for table file '" + path + "'");
}

}  // namespace

std::string SerializeTable(const Table& table) {
  std::string out(kTableFileMagic, sizeof(kTableFileMagic));
  Put(out, kTableFileVersion);
  Put(out, static_cast<uint32_t>(table.num_columns()));
  Put(out, static_cast<uint64_t>(table.num_rows()));
  for (const Column& c : table.columns()) {
    Put(out, static_cast<uint32_t>(c.name().size()));
    out += c.name();
    Put(out, static_cast<uint8_t>(c.type()));
  }
  for (const Column& c : table.columns()) {
    PutVector(out, c.valid());
    PutValues(out, c);
  }
  return out;
}

Result<Table> ParseTable(std::string_view bytes, std::string_view source) {
  KILN_ASSIGN_OR_RETURN(TableFileView view, TableFileView::Parse(bytes, source));
  return CopyTable(view);
}

Status WriteTable(const Table& table, const std::string& path) {
  try {
    return WriteFileAtomically(path, SerializeTable(table));
  } catch (const std::bad_alloc&) {
    return OutOfMemory(path);
  }
}

Result<Table> ReadTable(const std::string& path) {
  try {
    KILN_ASSIGN_OR_RETURN(TableFileView view, TableFileView::Open(path));
    return CopyTable(view);
  } catch (const std::bad_alloc&) {
    return OutOfMemory(path);
  }
}

std::string FormatCsv(const Table& table) {
  std::string out;
  for (size_t j = 0; j < table.num_columns(); ++j) {
    if (j > 0) out += ',';
    AppendCsvField(out, table.column(j).name());
  }
  out += '\n';
  for (size_t row = 0; row < table.num_rows(); ++row) {
    for (size_t j = 0; j < table.num_columns(); ++j) {
      if (j > 0) out += ',';
      AppendCell(out, table.column(j), row);
    }
    out += '\n';
  }
  return out;
}

Status WriteCsv(const Table& table, const std::string& path) {
  try {
    return WriteFileAtomically(path, FormatCsv(table));
  } catch (const std::bad_alloc&) {
    return OutOfMemory(path);
  }
}

}  // namespace kiln::ml
