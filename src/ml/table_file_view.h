// TableFileView: the layout of a .ktab file (ml/table_file.h) with its payloads left where they
// are, read on demand. Training reads its feature columns in row blocks straight from the file
// (pread into small reused buffers): no copy of the whole table, and no first touch of every
// page of a mapping, which is slow in virtual machines. ReadTable/ParseTable copy every column
// out of a view.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ml/table.h"

namespace kiln::ml {

// The column headers and payload offsets of a .ktab, checked against its size; payload contents
// (0/1 masks and bools, ordered string offsets) are checked as they are read. Move-only; reads
// are thread-safe.
class TableFileView {
 public:
  // Opens the .ktab file at `path` and reads its headers; the view keeps the file open. Errors:
  // kNotFound (no such file), kInternal (I/O), and those of Parse naming the path.
  static Result<TableFileView> Open(const std::string& path);
  // The .ktab `bytes`, which are borrowed and must outlive the view; `source` names them in
  // errors. Errors: kInvalidArgument "<source>: ..." for a wrong magic, an unsupported version,
  // or a truncated/corrupt layout.
  static Result<TableFileView> Parse(std::string_view bytes, std::string_view source);

  TableFileView(TableFileView&& other) noexcept;
  TableFileView& operator=(TableFileView&& other) noexcept;
  TableFileView(const TableFileView&) = delete;
  TableFileView& operator=(const TableFileView&) = delete;
  ~TableFileView();

  size_t num_rows() const { return rows_; }
  size_t num_columns() const { return columns_.size(); }
  // Names of all columns, in file order.
  std::vector<std::string> ColumnNames() const;
  const std::string& name(size_t i) const { return columns_[i].name; }
  ColumnType type(size_t i) const { return columns_[i].type; }
  // Index of the column named `name`. Errors: kNotFound "no column 'x' (columns: a, b)".
  Result<size_t> IndexOf(std::string_view name) const;

  // A copy of column `i` (i < num_columns()). Errors: kInvalidArgument "<source>: truncated or
  // corrupt Kiln table (column 'x')" for invalid contents, kInternal for I/O. Throws
  // std::bad_alloc when memory runs out.
  Result<Column> CopyColumn(size_t i) const;
  // Rows [begin, end) of the numeric or bool column `i`: the mask into `valid` (end - begin
  // bytes) and the values into `values` (8 bytes a row for float64/int64, 1 for bool). Errors
  // as CopyColumn.
  Status ReadNumeric(size_t i, size_t begin, size_t end, uint8_t* valid, char* values) const;

 private:
  struct Entry {
    std::string name;
    ColumnType type;
    uint64_t valid = 0;   // file offset of the mask
    uint64_t values = 0;  // of the values (strings: of the rows + 1 u64 offsets)
    uint64_t bytes = 0;   // strings: of the string bytes
  };
  TableFileView() = default;
  Status ReadAt(uint64_t offset, size_t n, char* out) const;
  template <typename T>
  Status Get(uint64_t& pos, T& v, const char* what) const;
  Status Place(uint64_t& pos, Entry& e) const;
  Status Corrupt(const std::string& what) const;
  Status ParseLayout();
  Result<std::vector<std::string>> ReadStrings(const Entry& e) const;

  std::string source_;
  std::string_view bytes_;  // Parse: the borrowed bytes
  int fd_ = -1;             // Open: the file
  uint64_t size_ = 0;
  size_t rows_ = 0;
  std::vector<Entry> columns_;
};

}  // namespace kiln::ml
