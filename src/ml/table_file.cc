#include "ml/table_file.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <new>

#include "ml/file_io.h"

namespace kiln::ml {
namespace {

static_assert(std::endian::native == std::endian::little, "the .ktab layout is little-endian");

constexpr char kMagic[8] = {'K', 'I', 'L', 'N', 'T', 'A', 'B', '\0'};

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

// Bounds-checked reading of the serialized bytes.
class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : p_(bytes.data()), end_(p_ + bytes.size()) {}
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }

  template <typename T>
  bool Get(T& v) {
    return Take(&v, sizeof(T));
  }
  bool Take(void* out, size_t n) {
    if (n > remaining()) return false;
    std::memcpy(out, p_, n);
    p_ += n;
    return true;
  }
  // Fills `v` with `rows` values of T, checking the size before allocating.
  template <typename T>
  bool GetVector(std::vector<T>& v, uint64_t rows) {
    if (rows > remaining() / sizeof(T)) return false;
    v.resize(rows);
    return Take(v.data(), rows * sizeof(T));
  }

 private:
  const char* p_;
  const char* end_;
};

bool AllZeroOrOne(const std::vector<uint8_t>& v) {
  for (uint8_t b : v) {
    if (b > 1) return false;
  }
  return true;
}

bool GetStrings(Cursor& in, uint64_t rows, std::vector<std::string>& out) {
  std::vector<uint64_t> offsets;
  if (rows == UINT64_MAX || !in.GetVector(offsets, rows + 1) || offsets[0] != 0) return false;
  for (size_t i = 0; i < rows; ++i) {
    if (offsets[i + 1] < offsets[i]) return false;
  }
  if (offsets[rows] > in.remaining()) return false;
  std::string bytes(offsets[rows], '\0');
  if (!in.Take(bytes.data(), bytes.size())) return false;
  out.resize(rows);
  for (size_t i = 0; i < rows; ++i) out[i] = bytes.substr(offsets[i], offsets[i + 1] - offsets[i]);
  return true;
}

struct ColumnHeader {
  std::string name;
  ColumnType type;
};

// Reads one column's mask and values; false when the bytes are short or invalid.
bool GetColumn(Cursor& in, const ColumnHeader& h, uint64_t rows, std::vector<Column>& out) {
  std::vector<uint8_t> valid;
  if (!in.GetVector(valid, rows) || !AllZeroOrOne(valid)) return false;
  switch (h.type) {
    case ColumnType::kFloat64: {
      std::vector<double> v;
      if (!in.GetVector(v, rows)) return false;
      out.push_back(Column::Float64(h.name, std::move(v), std::move(valid)));
      return true;
    }
    case ColumnType::kInt64: {
      std::vector<int64_t> v;
      if (!in.GetVector(v, rows)) return false;
      out.push_back(Column::Int64(h.name, std::move(v), std::move(valid)));
      return true;
    }
    case ColumnType::kBool: {
      std::vector<uint8_t> v;
      if (!in.GetVector(v, rows) || !AllZeroOrOne(v)) return false;
      out.push_back(Column::Bool(h.name, std::move(v), std::move(valid)));
      return true;
    }
    case ColumnType::kString: {
      std::vector<std::string> v;
      if (!GetStrings(in, rows, v)) return false;
      out.push_back(Column::String(h.name, std::move(v), std::move(valid)));
      return true;
    }
  }
  return false;
}

Status Corrupt(std::string_view source, const std::string& what) {
  return InvalidArgument(std::string(source) + ": truncated or corrupt Kiln table (" + what + ")");
}

Result<std::vector<ColumnHeader>> GetHeaders(Cursor& in, std::string_view source, uint32_t count) {
  std::vector<ColumnHeader> headers;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t len = 0;
    uint8_t type = 0;
    ColumnHeader h;
    if (!in.Get(len) || len > in.remaining()) return Corrupt(source, "column header");
    h.name.resize(len);
    if (!in.Take(h.name.data(), len) || !in.Get(type)) return Corrupt(source, "column header");
    if (type > static_cast<uint8_t>(ColumnType::kString)) {
      return Corrupt(source, "column '" + h.name + "' has unknown type " + std::to_string(type));
    }
    h.type = static_cast<ColumnType>(type);
    headers.push_back(std::move(h));
  }
  return headers;
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

Status OutOfMemory(const std::string& path) {
  return ResourceExhausted("not enough memory for table file '" + path + "'");
}

}  // namespace

std::string SerializeTable(const Table& table) {
  std::string out(kMagic, sizeof(kMagic));
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
  Cursor in(bytes);
  char magic[sizeof(kMagic)];
  if (!in.Take(magic, sizeof(magic)) || std::memcmp(magic, kMagic, sizeof(kMagic)) != 0) {
    return InvalidArgument(std::string(source) + ": not a Kiln table (bad magic)");
  }
  uint32_t version = 0, columns = 0;
  uint64_t rows = 0;
  if (!in.Get(version)) return Corrupt(source, "header");
  if (version != kTableFileVersion) {
    return InvalidArgument(std::string(source) + ": unsupported Kiln table version " +
                           std::to_string(version) + " (expected " +
                           std::to_string(kTableFileVersion) + ")");
  }
  if (!in.Get(columns) || !in.Get(rows)) return Corrupt(source, "header");
  if (columns == 0 && rows != 0) return Corrupt(source, "rows without columns");
  KILN_ASSIGN_OR_RETURN(auto headers, GetHeaders(in, source, columns));
  std::vector<Column> parsed;
  for (const ColumnHeader& h : headers) {
    if (!GetColumn(in, h, rows, parsed)) return Corrupt(source, "column '" + h.name + "'");
  }
  if (in.remaining() != 0) return Corrupt(source, "trailing bytes");
  Table table;
  for (Column& c : parsed) {
    std::string name = c.name();
    if (!table.AddColumn(std::move(c)).ok()) return Corrupt(source, "column '" + name + "'");
  }
  return table;
}

Status WriteTable(const Table& table, const std::string& path) {
  try {
    return WriteFileAtomically(path, SerializeTable(table));
  } catch (const std::bad_alloc&) {
    return OutOfMemory(path);
  }
}

Result<Table> ReadTable(const std::string& path) {
  KILN_ASSIGN_OR_RETURN(FileBytes bytes, ReadFileBytes(path));
  try {
    return ParseTable(bytes.view(), path);
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
