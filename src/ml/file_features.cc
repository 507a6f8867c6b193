#include "ml/file_features.h"

#include <algorithm>
#include <thread>

#include "ml/column_ref.h"
#include "ml/features.h"
#include "ml/parallel_for.h"

namespace kiln::ml {
namespace {

// Rows read per column and block: a few MiB of buffers per thread for ~50 columns.
constexpr size_t kRowsPerRead = 8192;

// Rows [begin, end) of the matrix, a block at a time.
Status FillPart(const TableFileView& table, const std::vector<size_t>& columns, size_t begin,
                size_t end, float* out) {
  const size_t cols = columns.size();
  std::vector<uint8_t> valid(cols * kRowsPerRead);
  std::vector<char> values(cols * kRowsPerRead * sizeof(double));
  std::vector<ColumnRef> refs(cols);
  for (size_t b = begin; b < end; b += kRowsPerRead) {
    const size_t e = std::min(end, b + kRowsPerRead);
    for (size_t c = 0; c < cols; ++c) {
      refs[c] = {table.type(columns[c]), valid.data() + c * kRowsPerRead,
                 values.data() + c * kRowsPerRead * sizeof(double)};
      KILN_RETURN_IF_ERROR(table.ReadNumeric(columns[c], b, e, valid.data() + c * kRowsPerRead,
                                             values.data() + c * kRowsPerRead * sizeof(double)));
    }
    FillFeatureRows(refs, e - b, out + b * cols);
  }
  return Status::Ok();
}

// How many threads to fill `rows` rows with: a thread costs more than a small table's copy.
size_t PartCount(size_t rows, int threads) {
  constexpr size_t kMinRowsPerThread = 1 << 16;
  const size_t want =
      threads > 0 ? static_cast<size_t>(threads) : std::thread::hardware_concurrency();
  return std::clamp<size_t>(rows / kMinRowsPerThread, 1, std::max<size_t>(want, 1));
}

}  // namespace

Status ReadFeatureMatrix(const TableFileView& table, const std::vector<size_t>& columns,
                         int threads, float* out) {
  const size_t rows = table.num_rows(), parts = PartCount(rows, threads);
  std::vector<Status> results(parts, Status::Ok());
  ParallelFor(parts, [&](size_t p) {
    results[p] = FillPart(table, columns, rows * p / parts, rows * (p + 1) / parts, out);
  });
  for (const Status& s : results) KILN_RETURN_IF_ERROR(s);
  return Status::Ok();
}

}  // namespace kiln::ml
