#include "ml/table_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "ml/csv_reader.h"
#include "ml/file_io.h"

namespace kiln::ml {
namespace {

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/kiln_table_file_test_" + std::to_string(::getpid()) + "_" + name;
}

Table Sample() {
  Table t;
  EXPECT_TRUE(t.AddColumn(Column::Int64("id", {1, -2, 3}, {1, 1, 0})).ok());
  EXPECT_TRUE(t.AddColumn(Column::Float64("x", {0.1, 1e300, -2.5}, {1, 0, 1})).ok());
  EXPECT_TRUE(t.AddColumn(Column::Bool("ok", {1, 0, 1})).ok());
  EXPECT_TRUE(t.AddColumn(Column::String("s", {"a,b", "", "say \"hi\"\nbye"}, {1, 0, 1})).ok());
  return t;
}

void ExpectSameTable(const Table& a, const Table& b) {
  ASSERT_EQ(a.ColumnNames(), b.ColumnNames());
  ASSERT_EQ(a.num_rows(), b.num_rows());
  for (size_t j = 0; j < a.num_columns(); ++j) {
    const Column& x = a.column(j);
    const Column& y = b.column(j);
    ASSERT_EQ(x.type(), y.type()) << x.name();
    EXPECT_EQ(x.valid(), y.valid()) << x.name();
    for (size_t i = 0; i < x.size(); ++i) {
      if (!x.IsValid(i)) continue;
      switch (x.type()) {
        case ColumnType::kFloat64:
          EXPECT_EQ(x.doubles()[i], y.doubles()[i]);
          break;
        case ColumnType::kInt64:
          EXPECT_EQ(x.ints()[i], y.ints()[i]);
          break;
        case ColumnType::kBool:
          EXPECT_EQ(x.bools()[i], y.bools()[i]);
          break;
        case ColumnType::kString:
          EXPECT_EQ(x.strings()[i], y.strings()[i]);
          break;
      }
    }
  }
}

TEST(TableFileTest, SerializeParseRoundTrip) {
  Table t = Sample();
  std::string bytes = SerializeTable(t);
  EXPECT_EQ(bytes.substr(0, 8), std::string("KILNTAB\0", 8));
  auto back = ParseTable(bytes, "t.ktab");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectSameTable(t, *back);
  EXPECT_EQ((*back).column(3).strings()[2], "say \"hi\"\nbye");
  EXPECT_EQ((*back).column(0).ints()[1], -2);
}

TEST(TableFileTest, EmptyTablesRoundTrip) {
  Table none;
  auto back = ParseTable(SerializeTable(none), "e.ktab");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->num_columns(), 0u);
  Table zero_rows;
  ASSERT_TRUE(zero_rows.AddColumn(Column("s", ColumnType::kString)).ok());
  auto back2 = ParseTable(SerializeTable(zero_rows), "e.ktab");
  ASSERT_TRUE(back2.ok());
  EXPECT_EQ(back2->ColumnNames(), (std::vector<std::string>{"s"}));
  EXPECT_EQ(back2->column(0).type(), ColumnType::kString);
}

TEST(TableFileTest, RejectsWrongMagicAndVersion) {
  std::string bytes = SerializeTable(Sample());
  std::string bad_magic = bytes;
  bad_magic[0] = 'X';
  EXPECT_EQ(ParseTable(bad_magic, "t.ktab").status().message(),
            "t.ktab: not a Kiln table (bad magic)");
  EXPECT_EQ(ParseTable("KIL", "t.ktab").status().message(), "t.ktab: not a Kiln table (bad magic)");
  std::string bad_version = bytes;
  bad_version[8] = 9;
  auto r = ParseTable(bad_version, "t.ktab");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "t.ktab: unsupported Kiln table version 9 (expected 1)");
}

TEST(TableFileTest, RejectsEveryTruncation) {
  std::string bytes = SerializeTable(Sample());
  for (size_t n = 8; n < bytes.size(); ++n) {
    auto r = ParseTable(std::string_view(bytes).substr(0, n), "t.ktab");
    ASSERT_FALSE(r.ok()) << "prefix " << n;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind("t.ktab: truncated or corrupt Kiln table (", 0), 0u)
        << r.status().message();
  }
  EXPECT_EQ(ParseTable(bytes + "x", "t.ktab").status().message(),
            "t.ktab: truncated or corrupt Kiln table (trailing bytes)");
}

TEST(TableFileTest, RejectsCorruptContents) {
  Table t;
  ASSERT_TRUE(t.AddColumn(Column::Bool("b", {1, 0})).ok());
  std::string bytes = SerializeTable(t);
  // Layout: 8 magic, 4 version, 4 columns, 8 rows, 4 name length, "b", 1 type; then data.
  std::string bad_type = bytes;
  bad_type[8 + 4 + 4 + 8 + 4 + 1] = 7;
  EXPECT_EQ(ParseTable(bad_type, "t.ktab").status().message(),
            "t.ktab: truncated or corrupt Kiln table (column 'b' has unknown type 7)");
  std::string bad_bool = bytes;
  bad_bool[bad_bool.size() - 1] = 5;
  EXPECT_EQ(ParseTable(bad_bool, "t.ktab").status().message(),
            "t.ktab: truncated or corrupt Kiln table (column 'b')");
  std::string huge_rows = bytes;
  huge_rows[8 + 4 + 4 + 7] = 0x7f;  // a row count far beyond the file size
  EXPECT_EQ(ParseTable(huge_rows, "t.ktab").status().message(),
            "t.ktab: truncated or corrupt Kiln table (column 'b')");
}

TEST(TableFileTest, WriteAndReadFile) {
  std::string path = TempPath("w.ktab");
  ASSERT_TRUE(WriteTable(Sample(), path).ok());
  auto back = ReadTable(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectSameTable(Sample(), *back);
  std::ofstream(path, std::ios::binary | std::ios::app) << "junk";
  EXPECT_EQ(ReadTable(path).status().message(),
            path + ": truncated or corrupt Kiln table (trailing bytes)");
  ::unlink(path.c_str());
  EXPECT_EQ(ReadTable(path).status().code(), StatusCode::kNotFound);
}

TEST(TableFileTest, FormatCsvQuotesAndWritesShortestFloats) {
  Table t = Sample();
  EXPECT_EQ(FormatCsv(t),
            "id,x,ok,s\n"
            "1,0.1,true,\"a,b\"\n"
            "-2,,false,\n"
            ",-2.5,true,\"say \"\"hi\"\"\nbye\"\n");
  Table f;
  ASSERT_TRUE(f.AddColumn(Column::Float64("v", {1.0 / 3, 1e21, std::nan(""),
                                                std::numeric_limits<double>::infinity()}))
                  .ok());
  EXPECT_EQ(FormatCsv(f), "v\n0.3333333333333333\n1e+21\nNaN\ninf\n");
}

TEST(TableFileTest, CsvToKtabToCsvRoundTrip) {
  const std::string csv =
      "id,score,flag,name,empty\n"
      "1,0.1,true,\"Smith, J\",\n"
      "2,,false,\"He said \"\"hi\"\"\",\n"
      ",3.25e-05,TRUE,\"two\nlines\",\n"
      "4,-7,false,plain,\n";
  std::string in = TempPath("in.csv");
  std::string ktab = TempPath("t.ktab");
  std::string out = TempPath("out.csv");
  ASSERT_TRUE(WriteFileAtomically(in, csv).ok());
  auto first = ReadCsvFile(in);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(WriteTable(*first, ktab).ok());
  auto second = ReadTable(ktab);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ExpectSameTable(*first, *second);
  ASSERT_TRUE(WriteCsv(*second, out).ok());
  auto written = ReadFileBytes(out);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(written->view(),
            "id,score,flag,name,empty\n"
            "1,0.1,true,\"Smith, J\",\n"
            "2,,false,\"He said \"\"hi\"\"\",\n"
            ",3.25e-05,true,\"two\nlines\",\n"
            "4,-7.0,false,plain,\n");  // a float column keeps its point

  auto third = ReadCsvFile(out);
  ASSERT_TRUE(third.ok());
  ExpectSameTable(*first, *third);
  EXPECT_EQ(third->column(1).type(), ColumnType::kFloat64);
  EXPECT_EQ(third->column(0).type(), ColumnType::kInt64);
  EXPECT_EQ(third->column(2).type(), ColumnType::kBool);
  EXPECT_EQ(third->column(4).type(), ColumnType::kFloat64);
  for (const std::string& p : {in, ktab, out}) ::unlink(p.c_str());
}

}  // namespace
}  // namespace kiln::ml
