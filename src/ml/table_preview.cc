#include "ml/table_preview.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "ml/table_file_view.h"

namespace kiln::ml {

namespace {

// Rows [0, shown) of numeric or bool column `c` into `rows`.
Status ReadFixedWidth(const TableFileView& view, size_t c, size_t shown, TablePreview& out) {
  const ColumnType type = view.type(c);
  const size_t width = type == ColumnType::kBool ? 1 : 8;
  std::vector<uint8_t> valid(shown);
  std::vector<char> values(shown * width);
  KILN_RETURN_IF_ERROR(view.ReadNumeric(c, 0, shown, valid.data(), values.data()));
  for (size_t r = 0; r < shown; ++r) {
    PreviewCell& cell = out.rows[r][c];
    if (!valid[r]) continue;
    const char* at = values.data() + r * width;
    if (type == ColumnType::kBool) {
      cell = *at != 0;
    } else if (type == ColumnType::kInt64) {
      int64_t v;
      std::memcpy(&v, at, 8);
      cell = v;
    } else {
      double v;
      std::memcpy(&v, at, 8);
      cell = v;
    }
  }
  return Status::Ok();
}

Status ReadStrings(const TableFileView& view, size_t c, size_t shown, TablePreview& out) {
  KILN_ASSIGN_OR_RETURN(Column column, view.CopyColumn(c));
  for (size_t r = 0; r < shown; ++r) {
    if (column.IsValid(r)) out.rows[r][c] = column.strings()[r];
  }
  return Status::Ok();
}

}  // namespace

Result<TablePreview> PreviewTableFile(const std::string& path, size_t limit) {
  KILN_ASSIGN_OR_RETURN(TableFileView view, TableFileView::Open(path));
  TablePreview out;
  out.row_count = view.num_rows();
  const size_t shown = std::min(limit, view.num_rows());
  out.rows.assign(shown, std::vector<PreviewCell>(view.num_columns()));
  for (size_t c = 0; c < view.num_columns(); ++c) {
    out.names.push_back(view.name(c));
    out.types.push_back(view.type(c));
    KILN_RETURN_IF_ERROR(view.type(c) == ColumnType::kString ? ReadStrings(view, c, shown, out)
                                                             : ReadFixedWidth(view, c, shown, out));
  }
  return out;
}

}  // namespace kiln::ml
