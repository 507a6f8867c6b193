#include "ml/table_file_view.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <utility>

#include "ml/table_file.h"

namespace kiln::ml {
namespace {

static_assert(std::endian::native == std::endian::little, "the .ktab layout is little-endian");

bool AllZeroOrOne(const uint8_t* p, size_t n) {
  uint8_t any = 0;  // branch-free: masks are large and almost always valid
  for (size_t i = 0; i < n; ++i) any |= p[i] & 0xFE;
  return any == 0;
}

// Advances `pos` over `count` items of `width` bytes when they fit before `size`; `at` = start.
bool Skip(uint64_t& pos, uint64_t size, uint64_t count, uint64_t width, uint64_t& at) {
  if (count > (size - pos) / width) return false;
  at = pos;
  pos += count * width;
  return true;
}

size_t ValueWidth(ColumnType type) { return type == ColumnType::kBool ? 1 : sizeof(uint64_t); }

}  // namespace

TableFileView::TableFileView(TableFileView&& other) noexcept { *this = std::move(other); }

TableFileView& TableFileView::operator=(TableFileView&& other) noexcept {
  if (this == &other) return *this;
  if (fd_ >= 0) ::close(fd_);
  source_ = std::move(other.source_);
  bytes_ = other.bytes_;
  fd_ = std::exchange(other.fd_, -1);
  size_ = other.size_;
  rows_ = other.rows_;
  columns_ = std::move(other.columns_);
  return *this;
}

TableFileView::~TableFileView() {
  if (fd_ >= 0) ::close(fd_);
}

Result<TableFileView> TableFileView::Open(const std::string& path) {
  TableFileView view;
  view.source_ = path;
  view.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (view.fd_ < 0) {
    const std::string message = "cannot open '" + path + "': " + std::strerror(errno);
    return errno == ENOENT ? NotFound(message) : Internal(message);
  }
  struct stat st;
  if (::fstat(view.fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    return NotFound("not a regular file: '" + path + "'");
  }
  view.size_ = static_cast<uint64_t>(st.st_size);
  KILN_RETURN_IF_ERROR(view.ParseLayout());
  return view;
}

Result<TableFileView> TableFileView::Parse(std::string_view bytes, std::string_view source) {
  TableFileView view;
  view.source_ = std::string(source);
  view.bytes_ = bytes;
  view.size_ = bytes.size();
  KILN_RETURN_IF_ERROR(view.ParseLayout());
  return view;
}

Status TableFileView::ReadAt(uint64_t offset, size_t n, char* out) const {
  if (fd_ < 0) {
    std::memcpy(out, bytes_.data() + offset, n);
    return Status::Ok();
  }
  while (n > 0) {
    const ssize_t got = ::pread(fd_, out, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      return Internal("cannot read '" + source_ +
                      "': " + (got < 0 ? std::strerror(errno) : "the file shrank"));
    }
    out += got;
    offset += static_cast<uint64_t>(got);
    n -= static_cast<size_t>(got);
  }
  return Status::Ok();
}

Status TableFileView::Corrupt(const std::string& what) const {
  return InvalidArgument(source_ + ": truncated or corrupt Kiln table (" + what + ")");
}

template <typename T>
Status TableFileView::Get(uint64_t& pos, T& v, const char* what) const {
  if (sizeof(T) > size_ - pos) return Corrupt(what);
  KILN_RETURN_IF_ERROR(ReadAt(pos, sizeof(T), reinterpret_cast<char*>(&v)));
  pos += sizeof(T);
  return Status::Ok();
}

// Finds column `e`'s payload at `pos` and advances past it; string offsets are checked later.
Status TableFileView::Place(uint64_t& pos, Entry& e) const {
  const Status corrupt = Corrupt("column '" + e.name + "'");
  if (!Skip(pos, size_, rows_, 1, e.valid)) return corrupt;
  if (e.type != ColumnType::kString) {
    return Skip(pos, size_, rows_, ValueWidth(e.type), e.values) ? Status::Ok() : corrupt;
  }
  if (rows_ == UINT64_MAX || !Skip(pos, size_, rows_ + 1, sizeof(uint64_t), e.values)) {
    return corrupt;
  }
  uint64_t total = 0;
  KILN_RETURN_IF_ERROR(
      ReadAt(pos - sizeof(uint64_t), sizeof(total), reinterpret_cast<char*>(&total)));
  return Skip(pos, size_, total, 1, e.bytes) ? Status::Ok() : corrupt;
}

Status TableFileView::ParseLayout() {
  char magic[sizeof(kTableFileMagic)];
  if (size_ < sizeof(magic) || !ReadAt(0, sizeof(magic), magic).ok() ||
      std::memcmp(magic, kTableFileMagic, sizeof(magic)) != 0) {
    return InvalidArgument(source_ + ": not a Kiln table (bad magic)");
  }
  uint64_t pos = sizeof(magic);
  uint32_t version = 0, count = 0;
  KILN_RETURN_IF_ERROR(Get(pos, version, "header"));
  if (version != kTableFileVersion) {
    return InvalidArgument(source_ + ": unsupported Kiln table version " + std::to_string(version) +
                           " (expected " + std::to_string(kTableFileVersion) + ")");
  }
  uint64_t rows = 0;
  KILN_RETURN_IF_ERROR(Get(pos, count, "header"));
  KILN_RETURN_IF_ERROR(Get(pos, rows, "header"));
  if (count == 0 && rows != 0) return Corrupt("rows without columns");
  rows_ = rows;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t len = 0;
    uint8_t type = 0;
    KILN_RETURN_IF_ERROR(Get(pos, len, "column header"));
    if (len > size_ - pos) return Corrupt("column header");
    Entry e{std::string(len, '\0'), ColumnType::kFloat64};
    KILN_RETURN_IF_ERROR(ReadAt(pos, len, e.name.data()));
    pos += len;
    KILN_RETURN_IF_ERROR(Get(pos, type, "column header"));
    if (type > static_cast<uint8_t>(ColumnType::kString)) {
      return Corrupt("column '" + e.name + "' has unknown type " + std::to_string(type));
    }
    if (IndexOf(e.name).ok()) return Corrupt("column '" + e.name + "'");
    e.type = static_cast<ColumnType>(type);
    columns_.push_back(std::move(e));
  }
  for (Entry& e : columns_) KILN_RETURN_IF_ERROR(Place(pos, e));
  return pos == size_ ? Status::Ok() : Corrupt("trailing bytes");
}

std::vector<std::string> TableFileView::ColumnNames() const {
  std::vector<std::string> out;
  for (const Entry& e : columns_) out.push_back(e.name);
  return out;
}

Result<size_t> TableFileView::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return i;
  }
  std::string names;
  for (const Entry& e : columns_) names += (names.empty() ? "" : ", ") + e.name;
  return NotFound("no column '" + std::string(name) + "' (columns: " + names + ")");
}

Status TableFileView::ReadNumeric(size_t i, size_t begin, size_t end, uint8_t* valid,
                                  char* values) const {
  const Entry& e = columns_[i];
  const size_t n = end - begin, width = ValueWidth(e.type);
  KILN_RETURN_IF_ERROR(ReadAt(e.valid + begin, n, reinterpret_cast<char*>(valid)));
  KILN_RETURN_IF_ERROR(ReadAt(e.values + begin * width, n * width, values));
  const bool ok =
      AllZeroOrOne(valid, n) &&
      (e.type != ColumnType::kBool || AllZeroOrOne(reinterpret_cast<const uint8_t*>(values), n));
  return ok ? Status::Ok() : Corrupt("column '" + e.name + "'");
}

Result<std::vector<std::string>> TableFileView::ReadStrings(const Entry& e) const {
  std::vector<uint64_t> offsets(rows_ + 1);
  KILN_RETURN_IF_ERROR(
      ReadAt(e.values, offsets.size() * sizeof(uint64_t), reinterpret_cast<char*>(offsets.data())));
  for (size_t i = 0; i < rows_; ++i) {
    if (offsets[i + 1] < offsets[i]) return Corrupt("column '" + e.name + "'");
  }
  if (offsets[0] != 0 || offsets[rows_] > size_ - e.bytes) {
    return Corrupt("column '" + e.name + "'");
  }
  std::string bytes(offsets[rows_], '\0');
  KILN_RETURN_IF_ERROR(ReadAt(e.bytes, bytes.size(), bytes.data()));
  std::vector<std::string> out(rows_);
  for (size_t i = 0; i < rows_; ++i) out[i] = bytes.substr(offsets[i], offsets[i + 1] - offsets[i]);
  return out;
}

namespace {

template <typename T>
Result<std::vector<T>> ReadValues(const TableFileView& view, size_t i,
                                  std::vector<uint8_t>& valid) {
  std::vector<T> values(view.num_rows());
  KILN_RETURN_IF_ERROR(view.ReadNumeric(i, 0, view.num_rows(), valid.data(),
                                        reinterpret_cast<char*>(values.data())));
  return values;
}

}  // namespace

Result<Column> TableFileView::CopyColumn(size_t i) const {
  const Entry& e = columns_[i];
  std::vector<uint8_t> valid(rows_);
  switch (e.type) {
    case ColumnType::kFloat64: {
      KILN_ASSIGN_OR_RETURN(auto v, ReadValues<double>(*this, i, valid));
      return Column::Float64(e.name, std::move(v), std::move(valid));
    }
    case ColumnType::kInt64: {
      KILN_ASSIGN_OR_RETURN(auto v, ReadValues<int64_t>(*this, i, valid));
      return Column::Int64(e.name, std::move(v), std::move(valid));
    }
    case ColumnType::kBool: {
      KILN_ASSIGN_OR_RETURN(auto v, ReadValues<uint8_t>(*this, i, valid));
      return Column::Bool(e.name, std::move(v), std::move(valid));
    }
    case ColumnType::kString:
      break;
  }
  KILN_RETURN_IF_ERROR(ReadAt(e.valid, rows_, reinterpret_cast<char*>(valid.data())));
  if (!AllZeroOrOne(valid.data(), rows_)) return Corrupt("column '" + e.name + "'");
  KILN_ASSIGN_OR_RETURN(auto v, ReadStrings(e));
  return Column::String(e.name, std::move(v), std::move(valid));
}

}  // namespace kiln::ml
