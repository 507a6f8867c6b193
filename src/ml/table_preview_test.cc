#include "ml/table_preview.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <variant>

#include "ml/table_file.h"

namespace kiln::ml {
namespace {

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/kiln_table_preview_test_" + std::to_string(::getpid()) + "_" +
         name;
}

TEST(TablePreviewTest, ShowsTheFirstRowsOfEveryTypeWithMissingCells) {
  Table table;
  ASSERT_TRUE(table.AddColumn(Column::Float64("x", {1.5, 0, 3.5}, {1, 0, 1})).ok());
  ASSERT_TRUE(table.AddColumn(Column::Int64("n", {7, 8, 9})).ok());
  ASSERT_TRUE(table.AddColumn(Column::Bool("b", {1, 0, 1}, {1, 1, 0})).ok());
  ASSERT_TRUE(table.AddColumn(Column::String("s", {"a", "", "c"}, {1, 0, 1})).ok());
  const std::string path = TempPath("types.ktab");
  ASSERT_TRUE(WriteTable(table, path).ok());

  auto preview = PreviewTableFile(path, 2);
  ASSERT_TRUE(preview.ok()) << preview.status().ToString();
  EXPECT_EQ(preview->row_count, 3u);
  EXPECT_EQ(preview->names, (std::vector<std::string>{"x", "n", "b", "s"}));
  EXPECT_EQ(preview->types[3], ColumnType::kString);
  ASSERT_EQ(preview->rows.size(), 2u);
  EXPECT_EQ(std::get<double>(preview->rows[0][0]), 1.5);
  EXPECT_EQ(std::get<int64_t>(preview->rows[0][1]), 7);
  EXPECT_EQ(std::get<bool>(preview->rows[0][2]), true);
  EXPECT_EQ(std::get<std::string>(preview->rows[0][3]), "a");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(preview->rows[1][0]));
  EXPECT_EQ(std::get<bool>(preview->rows[1][2]), false);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(preview->rows[1][3]));

  auto all = PreviewTableFile(path, 100);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->rows.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(all->rows[2][2]));
  ::unlink(path.c_str());
}

TEST(TablePreviewTest, AFileThatIsNoTableIsAnInvalidArgument) {
  const std::string path = TempPath("not-a-table.txt");
  std::ofstream(path) << "hello, world\n";
  auto preview = PreviewTableFile(path, 5);
  ASSERT_FALSE(preview.ok());
  EXPECT_EQ(preview.status().code(), StatusCode::kInvalidArgument);
  ::unlink(path.c_str());
}

}  // namespace
}  // namespace kiln::ml
