#include "ml/table.h"

#include <gtest/gtest.h>

namespace kiln::ml {
namespace {

Table MakeTable() {
  Table t;
  EXPECT_TRUE(t.AddColumn(Column::Int64("id", {1, 2, 3})).ok());
  EXPECT_TRUE(t.AddColumn(Column::Float64("x", {0.5, 0.0, -2.25}, {1, 0, 1})).ok());
  EXPECT_TRUE(t.AddColumn(Column::String("name", {"a", "b", "c"})).ok());
  return t;
}

TEST(TableTest, AddColumnSetsRowsAndKeepsOrder) {
  Table t = MakeTable();
  EXPECT_EQ(t.num_rows(), 3u);
  EXPECT_EQ(t.num_columns(), 3u);
  EXPECT_EQ(t.ColumnNames(), (std::vector<std::string>{"id", "x", "name"}));
  EXPECT_EQ(t.column(1).type(), ColumnType::kFloat64);
  EXPECT_EQ(t.column(1).NullCount(), 1u);
  EXPECT_FALSE(t.column(1).IsValid(1));
  EXPECT_DOUBLE_EQ(t.column(1).doubles()[2], -2.25);
}

TEST(TableTest, FindReturnsColumnOrNamesTheExistingOnes) {
  Table t = MakeTable();
  auto found = t.Find("name");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)->strings()[1], "b");
  auto missing = t.Find("age");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "no column 'age' (columns: id, x, name)");
}

TEST(TableTest, AddColumnRejectsDuplicateAndWrongLength) {
  Table t = MakeTable();
  Status dup = t.AddColumn(Column::Int64("id", {7, 8, 9}));
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.message(), "column 'id' already exists");
  Status short_col = t.AddColumn(Column::Bool("flag", {1, 0}));
  EXPECT_EQ(short_col.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(short_col.message(), "column 'flag' has 2 rows, the table has 3");
  Status bad_mask = t.AddColumn(Column::Int64("m", {1, 2, 3}, {1, 1}));
  EXPECT_EQ(bad_mask.message(), "column 'm' has 3 values but a mask of 2");
  EXPECT_EQ(t.num_columns(), 3u);
}

TEST(TableTest, SelectCopiesColumnsInRequestedOrder) {
  Table t = MakeTable();
  auto sel = t.Select({"name", "id"});
  ASSERT_TRUE(sel.ok());
  EXPECT_EQ(sel->ColumnNames(), (std::vector<std::string>{"name", "id"}));
  EXPECT_EQ(sel->column(1).ints(), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(sel->num_rows(), 3u);
  EXPECT_EQ(t.num_columns(), 3u);  // the source is untouched
  EXPECT_EQ(t.Select({"id", "nope"}).status().message(), "no column 'nope' (columns: id, x, name)");
  EXPECT_EQ(t.Select({"id", "id"}).status().message(), "column 'id' is selected twice");
}

TEST(TableTest, DropRemovesColumnAndEmptyTableHasNoRows) {
  Table t = MakeTable();
  ASSERT_TRUE(t.Drop("x").ok());
  EXPECT_EQ(t.ColumnNames(), (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(t.Drop("x").code(), StatusCode::kNotFound);
  ASSERT_TRUE(t.Drop("id").ok());
  ASSERT_TRUE(t.Drop("name").ok());
  EXPECT_EQ(t.num_rows(), 0u);
  EXPECT_TRUE(t.AddColumn(Column::Bool("b", {1, 0, 1, 1, 0})).ok());
  EXPECT_EQ(t.num_rows(), 5u);
}

TEST(TableTest, EmptyColumnsOfEachType) {
  for (ColumnType type :
       {ColumnType::kFloat64, ColumnType::kInt64, ColumnType::kBool, ColumnType::kString}) {
    Column c("c", type);
    EXPECT_EQ(c.type(), type);
    EXPECT_EQ(c.size(), 0u);
    EXPECT_EQ(c.ValueCount(), 0u);
  }
  EXPECT_STREQ(ColumnTypeName(ColumnType::kFloat64), "float64");
  EXPECT_STREQ(ColumnTypeName(ColumnType::kString), "string");
}

TEST(TableTest, MutableAccessorsAppendValues) {
  Column c("n", ColumnType::kInt64);
  c.mutable_ints().push_back(42);
  c.mutable_valid().push_back(1);
  c.mutable_ints().push_back(0);
  c.mutable_valid().push_back(0);
  Table t;
  ASSERT_TRUE(t.AddColumn(std::move(c)).ok());
  EXPECT_EQ(t.column(0).ints()[0], 42);
  EXPECT_EQ(t.column(0).NullCount(), 1u);
}

}  // namespace
}  // namespace kiln::ml
