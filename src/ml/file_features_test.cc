#include "ml/file_features.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>

#include "ml/features.h"
#include "ml/file_io.h"
#include "ml/table_file.h"

namespace kiln::ml {
namespace {

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/kiln_file_features_test_" + std::to_string(::getpid()) + "_" +
         name;
}

// Enough rows for several read blocks and two threads, with missing values in every column.
Table Mixed(size_t rows) {
  std::vector<double> d(rows);
  std::vector<int64_t> i(rows);
  std::vector<uint8_t> b(rows), dv(rows), iv(rows), bv(rows);
  for (size_t r = 0; r < rows; ++r) {
    dv[r] = r % 7 != 0;
    iv[r] = r % 11 != 0;
    bv[r] = r % 13 != 0;
    d[r] = dv[r] ? static_cast<double>(r) * 0.1 + 1e-9 : 0;
    i[r] = iv[r] ? static_cast<int64_t>(r) * 3 - 1000 : 0;
    b[r] = bv[r] ? r % 2 : 0;
  }
  Table t;
  EXPECT_TRUE(t.AddColumn(Column::Float64("d", std::move(d), std::move(dv))).ok());
  EXPECT_TRUE(t.AddColumn(Column::String("s", std::vector<std::string>(rows, "x"))).ok());
  EXPECT_TRUE(t.AddColumn(Column::Int64("i", std::move(i), std::move(iv))).ok());
  EXPECT_TRUE(t.AddColumn(Column::Bool("b", std::move(b), std::move(bv))).ok());
  return t;
}

void ExpectSameFloats(const std::vector<float>& want, const float* got) {
  for (size_t k = 0; k < want.size(); ++k) {
    if (std::isnan(want[k])) {
      ASSERT_TRUE(std::isnan(got[k])) << k;
    } else {
      ASSERT_EQ(want[k], got[k]) << k;
    }
  }
}

TEST(FileFeaturesTest, MatchesFeatureMatrixOfTheReadTable) {
  const Table table = Mixed(150001);
  const std::string path = TempPath("m.ktab");
  ASSERT_TRUE(WriteTable(table, path).ok());
  auto view = TableFileView::Open(path);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  const std::vector<std::string> names = {"b", "d", "i"};
  auto want = FeatureMatrix(table, names);
  ASSERT_TRUE(want.ok());
  for (int threads : {1, 2, 0}) {
    std::vector<float> got(want->size());
    ASSERT_TRUE(ReadFeatureMatrix(*view, {3, 0, 2}, threads, got.data()).ok());
    ExpectSameFloats(*want, got.data());
  }
  ::unlink(path.c_str());
}

TEST(FileFeaturesTest, RejectsACorruptMaskInsideTheTable) {
  Table table;
  ASSERT_TRUE(table.AddColumn(Column::Float64("x", std::vector<double>(100000, 1.5))).ok());
  std::string bytes = SerializeTable(table);
  // Layout: 8 magic, 4 version, 4 columns, 8 rows, 4 name length, "x", 1 type; then the mask.
  bytes[8 + 4 + 4 + 8 + 4 + 1 + 1 + 70000] = 2;
  auto view = TableFileView::Parse(bytes, "t.ktab");
  ASSERT_TRUE(view.ok()) << view.status().ToString();  // contents are checked when read
  std::vector<float> out(100000);
  EXPECT_EQ(ReadFeatureMatrix(*view, {0}, 2, out.data()).message(),
            "t.ktab: truncated or corrupt Kiln table (column 'x')");
  EXPECT_EQ(ParseTable(bytes, "t.ktab").status().message(),
            "t.ktab: truncated or corrupt Kiln table (column 'x')");
}

}  // namespace
}  // namespace kiln::ml
