#include "ml/csv_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>

namespace kiln::ml {
namespace {

Table Read(std::string_view text, const CsvOptions& options = {}) {
  auto t = ReadCsvString(text, options, "data.csv");
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? std::move(t).value() : Table();
}

std::string ReadError(std::string_view text, const CsvOptions& options = {}) {
  auto t = ReadCsvString(text, options, "data.csv");
  EXPECT_FALSE(t.ok());
  if (t.ok()) return "";
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  return t.status().message();
}

const Column& Col(const Table& t, std::string_view name) {
  static const Column kEmpty("", ColumnType::kString);
  auto c = t.Find(name);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? **c : kEmpty;
}

TEST(CsvReaderTest, InfersEachType) {
  Table t = Read("a,b,c,d\n1,1.5,true,x\n-2,-3,FALSE,y z\n");
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(t.ColumnNames(), (std::vector<std::string>{"a", "b", "c", "d"}));
  ASSERT_EQ(Col(t, "a").type(), ColumnType::kInt64);
  EXPECT_EQ(Col(t, "a").ints(), (std::vector<int64_t>{1, -2}));
  ASSERT_EQ(Col(t, "b").type(), ColumnType::kFloat64);
  EXPECT_EQ(Col(t, "b").doubles(), (std::vector<double>{1.5, -3.0}));
  ASSERT_EQ(Col(t, "c").type(), ColumnType::kBool);
  EXPECT_EQ(Col(t, "c").bools(), (std::vector<uint8_t>{1, 0}));
  ASSERT_EQ(Col(t, "d").type(), ColumnType::kString);
  EXPECT_EQ(Col(t, "d").strings(), (std::vector<std::string>{"x", "y z"}));
  EXPECT_EQ(Col(t, "d").NullCount(), 0u);
}

TEST(CsvReaderTest, NumberSpellings) {
  Table t = Read("p,q,r,s,u,v\n+5,.5,1e3,inf,nan,007\n6,2.,-1E-2,-inf,1,8\n");
  EXPECT_EQ(Col(t, "p").ints(), (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(Col(t, "q").doubles(), (std::vector<double>{0.5, 2.0}));
  EXPECT_EQ(Col(t, "r").doubles(), (std::vector<double>{1000.0, -0.01}));
  ASSERT_EQ(Col(t, "s").type(), ColumnType::kFloat64);
  EXPECT_EQ(Col(t, "s").doubles()[0], std::numeric_limits<double>::infinity());
  EXPECT_EQ(Col(t, "s").doubles()[1], -std::numeric_limits<double>::infinity());
  ASSERT_EQ(Col(t, "u").type(), ColumnType::kString);  // "nan" is not a number
  EXPECT_EQ(Col(t, "u").strings(), (std::vector<std::string>{"nan", "1"}));
  EXPECT_EQ(Col(t, "v").ints(), (std::vector<int64_t>{7, 8}));
}

TEST(CsvReaderTest, LateValuesWidenTheType) {
  Table t = Read("i,f,s,b\n1,1,1,true\n2,2,2,false\n3,2.5,x,3\n");
  ASSERT_EQ(Col(t, "i").type(), ColumnType::kInt64);
  ASSERT_EQ(Col(t, "f").type(), ColumnType::kFloat64);
  EXPECT_EQ(Col(t, "f").doubles(), (std::vector<double>{1.0, 2.0, 2.5}));
  ASSERT_EQ(Col(t, "s").type(), ColumnType::kString);
  EXPECT_EQ(Col(t, "s").strings(), (std::vector<std::string>{"1", "2", "x"}));
  ASSERT_EQ(Col(t, "b").type(), ColumnType::kString);
  EXPECT_EQ(Col(t, "b").strings(), (std::vector<std::string>{"true", "false", "3"}));
}

TEST(CsvReaderTest, IntOverflowBecomesFloat) {
  Table t = Read("n\n1\n99999999999999999999\n");
  ASSERT_EQ(Col(t, "n").type(), ColumnType::kFloat64);
  EXPECT_EQ(Col(t, "n").doubles(), (std::vector<double>{1.0, 1e20}));
}

TEST(CsvReaderTest, MissingValuesAreNulls) {
  Table t = Read("a,b,c,d\n1,NA,x,\n,2.5,null,\nN/A,NaN,\"\",\n4,1.0,y,\n");
  const Column& a = Col(t, "a");
  ASSERT_EQ(a.type(), ColumnType::kInt64);
  EXPECT_EQ(a.valid(), (std::vector<uint8_t>{1, 0, 0, 1}));
  EXPECT_EQ(a.ints(), (std::vector<int64_t>{1, 0, 0, 4}));
  const Column& b = Col(t, "b");
  ASSERT_EQ(b.type(), ColumnType::kFloat64);
  EXPECT_EQ(b.valid(), (std::vector<uint8_t>{0, 1, 0, 1}));
  EXPECT_EQ(b.doubles(), (std::vector<double>{0.0, 2.5, 0.0, 1.0}));
  const Column& c = Col(t, "c");
  ASSERT_EQ(c.type(), ColumnType::kString);
  EXPECT_EQ(c.valid(), (std::vector<uint8_t>{1, 0, 0, 1}));
  EXPECT_EQ(c.strings(), (std::vector<std::string>{"x", "", "", "y"}));
  // A column without any value is float64, all null.
  ASSERT_EQ(Col(t, "d").type(), ColumnType::kFloat64);
  EXPECT_EQ(Col(t, "d").NullCount(), 4u);
}

TEST(CsvReaderTest, CustomMissingSet) {
  CsvOptions options;
  options.missing = {"-999", "?"};
  Table t = Read("a,b\n-999,?\n5,NA\n", options);
  EXPECT_EQ(Col(t, "a").type(), ColumnType::kInt64);
  EXPECT_EQ(Col(t, "a").valid(), (std::vector<uint8_t>{0, 1}));
  EXPECT_EQ(Col(t, "a").ints()[1], 5);
  ASSERT_EQ(Col(t, "b").type(), ColumnType::kString);  // "NA" is a value now
  EXPECT_EQ(Col(t, "b").strings()[1], "NA");
  EXPECT_FALSE(Col(t, "b").IsValid(0));
}

TEST(CsvReaderTest, QuotedFields) {
  Table t = Read(
      "name,\"the note\",n\n"
      "\"Smith, J\",\"He said \"\"hi\"\"\",\"12\"\n"
      "\"multi\nline\",plain,3\n"
      "\"\"\"\",\"a,\"\"b\"\"\n\",4\n");
  EXPECT_EQ(t.ColumnNames(), (std::vector<std::string>{"name", "the note", "n"}));
  EXPECT_EQ(Col(t, "name").strings(), (std::vector<std::string>{"Smith, J", "multi\nline", "\""}));
  EXPECT_EQ(Col(t, "the note").strings(),
            (std::vector<std::string>{"He said \"hi\"", "plain", "a,\"b\"\n"}));
  ASSERT_EQ(Col(t, "n").type(), ColumnType::kInt64);  // a quoted number is still a number
  EXPECT_EQ(Col(t, "n").ints(), (std::vector<int64_t>{12, 3, 4}));
}

TEST(CsvReaderTest, CrlfLineEnds) {
  Table t = Read("a,b,c\r\n1,x,\"q\"\r\n2,y,\"r\r\ns\"\r\n3,z,t");
  ASSERT_EQ(t.num_rows(), 3u);
  EXPECT_EQ(Col(t, "a").ints(), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(Col(t, "b").strings(), (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(Col(t, "c").strings(), (std::vector<std::string>{"q", "r\r\ns", "t"}));
  Table last = Read("a\r\n1.5\r\n");
  EXPECT_EQ(Col(last, "a").doubles(), (std::vector<double>{1.5}));
}

TEST(CsvReaderTest, NoHeaderNamesColumnsByPosition) {
  CsvOptions options;
  options.header = false;
  Table t = Read("1,a\n2,b\n", options);
  EXPECT_EQ(t.ColumnNames(), (std::vector<std::string>{"c0", "c1"}));
  EXPECT_EQ(Col(t, "c0").ints(), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Col(t, "c1").strings(), (std::vector<std::string>{"a", "b"}));
  Table empty = Read("", options);
  EXPECT_EQ(empty.num_columns(), 0u);
  EXPECT_EQ(empty.num_rows(), 0u);
}

TEST(CsvReaderTest, OtherDelimiterBlankLinesAndBom) {
  CsvOptions options;
  options.delimiter = ';';
  Table t = Read("\xEF\xBB\xBFx;y\n\n1,5;a,b\n\r\n2;c\n\n", options);
  EXPECT_EQ(t.ColumnNames(), (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(Col(t, "x").strings(), (std::vector<std::string>{"1,5", "2"}));
  EXPECT_EQ(Col(t, "y").strings(), (std::vector<std::string>{"a,b", "c"}));
}

TEST(CsvReaderTest, DeclaredTypesOverrideInference) {
  CsvOptions options;
  options.types = {{"zip", ColumnType::kString},
                   {"n", ColumnType::kFloat64},
                   {"ok", ColumnType::kBool},
                   {"k", ColumnType::kInt64}};
  Table t = Read("zip,n,ok,k\n02139,1,True,7\n10001,NA,false,\n", options);
  ASSERT_EQ(Col(t, "zip").type(), ColumnType::kString);
  EXPECT_EQ(Col(t, "zip").strings(), (std::vector<std::string>{"02139", "10001"}));
  ASSERT_EQ(Col(t, "n").type(), ColumnType::kFloat64);
  EXPECT_EQ(Col(t, "n").doubles()[0], 1.0);
  EXPECT_FALSE(Col(t, "n").IsValid(1));
  ASSERT_EQ(Col(t, "ok").type(), ColumnType::kBool);
  EXPECT_EQ(Col(t, "ok").bools(), (std::vector<uint8_t>{1, 0}));
  ASSERT_EQ(Col(t, "k").type(), ColumnType::kInt64);
  EXPECT_EQ(Col(t, "k").valid(), (std::vector<uint8_t>{1, 0}));
}

TEST(CsvReaderTest, HeaderOnlyGivesNoRows) {
  Table t = Read("a,b\n");
  EXPECT_EQ(t.num_rows(), 0u);
  EXPECT_EQ(t.ColumnNames(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Col(t, "a").type(), ColumnType::kFloat64);
}

TEST(CsvReaderTest, RaggedRowErrors) {
  EXPECT_EQ(ReadError("a,b,c\n1,2,3\n4,5\n"), "data.csv line 3: expected 3 fields, found 2");
  EXPECT_EQ(ReadError("a,b\n1,2\n\n3,4,5,6\n"), "data.csv line 4: expected 2 fields, found 4");
  // Lines inside a quoted field count, so the line is the physical one.
  EXPECT_EQ(ReadError("a,b\n\"x\ny\",1\n2\n"), "data.csv line 4: expected 2 fields, found 1");
}

TEST(CsvReaderTest, DeclaredTypeMismatchErrors) {
  CsvOptions options;
  options.types = {{"age", ColumnType::kInt64}};
  EXPECT_EQ(ReadError("name,age\nann,3\nbob,abc\n", options),
            "data.csv line 3, column 'age': 'abc' is not an int");
  EXPECT_EQ(ReadError("name,age\nann,3.5\n", options),
            "data.csv line 2, column 'age': '3.5' is not an int");
  options.types = {{"age", ColumnType::kFloat64}};
  EXPECT_EQ(ReadError("name,age\nann,\"x y\"\n", options),
            "data.csv line 2, column 'age': 'x y' is not a float");
  options.types = {{"age", ColumnType::kBool}};
  EXPECT_EQ(ReadError("name,age\nann,1\n", options),
            "data.csv line 2, column 'age': '1' is not a bool");
}

TEST(CsvReaderTest, QuoteErrors) {
  EXPECT_EQ(ReadError("a,b\n1,\"open\n2,3\n"),
            "data.csv line 2, column 'b': unterminated quoted field");
  EXPECT_EQ(ReadError("a,b\n1,\"x\"y\n"),
            "data.csv line 2, column 'b': unexpected text after a closing quote");
  EXPECT_EQ(ReadError("a,\"b\n"), "data.csv line 1: unterminated quoted field in the header");
  CsvOptions no_header;
  no_header.header = false;
  EXPECT_EQ(ReadError("1,\"x\n", no_header),
            "data.csv line 1, column 'c1': unterminated quoted field");
}

TEST(CsvReaderTest, HeaderErrors) {
  EXPECT_EQ(ReadError(""), "data.csv line 1: no header line");
  EXPECT_EQ(ReadError("\n\r\n"), "data.csv line 3: no header line");
  EXPECT_EQ(ReadError("a,b,a\n1,2,3\n"), "data.csv line 1: duplicate column name 'a'");
  CsvOptions options;
  options.types = {{"zz", ColumnType::kInt64}};
  EXPECT_EQ(ReadError("a,b\n1,2\n", options),
            "data.csv: a type is declared for unknown column 'zz' (columns: a, b)");
}

TEST(CsvReaderTest, ReadsFilesAndNamesThemInErrors) {
  std::string dir = ::testing::TempDir();
  std::string path = dir + "/kiln_csv_reader_test_" + std::to_string(::getpid()) + ".csv";
  std::ofstream(path) << "a,b\n1,2\n3\n";
  auto bad = ReadCsvFile(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), path + " line 3: expected 2 fields, found 1");
  std::ofstream(path) << "a,b\n1,2\n3,4\n";
  auto good = ReadCsvFile(path);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(Col(*good, "b").ints(), (std::vector<int64_t>{2, 4}));
  ::unlink(path.c_str());
  auto missing = ReadCsvFile(path);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

// A CSV large enough to be split across threads, with a column that turns to text late.
std::string BigCsv(size_t rows) {
  std::string s = "id,x,late\n";
  for (size_t i = 0; i < rows; ++i) {
    s += std::to_string(i) + "," + std::to_string(i * 0.25) + ",";
    s += (i == rows - 10) ? "word" : std::to_string(i % 7);
    s += "\n";
  }
  return s;
}

TEST(CsvReaderTest, ThreadedParseMatchesSingleThreaded) {
  std::string text = BigCsv(200000);
  CsvOptions one;
  one.num_threads = 1;
  CsvOptions four;
  four.num_threads = 4;
  Table a = Read(text, one);
  Table b = Read(text, four);
  ASSERT_EQ(a.num_rows(), 200000u);
  ASSERT_EQ(b.num_rows(), 200000u);
  EXPECT_EQ(Col(b, "id").ints(), Col(a, "id").ints());
  EXPECT_EQ(Col(b, "id").ints()[123456], 123456);
  EXPECT_EQ(Col(b, "x").doubles(), Col(a, "x").doubles());
  EXPECT_DOUBLE_EQ(Col(b, "x").doubles()[1001], 250.25);
  ASSERT_EQ(Col(b, "late").type(), ColumnType::kString);
  EXPECT_EQ(Col(b, "late").strings(), Col(a, "late").strings());
  EXPECT_EQ(Col(b, "late").strings()[199990], "word");
  EXPECT_EQ(Col(b, "late").strings()[8], "1");
}

TEST(CsvReaderTest, ThreadedParseReportsTheFirstErrorWithItsLine) {
  std::string text = BigCsv(200000);
  size_t pos = 0;
  for (int line = 1; line < 150000; ++line) pos = text.find('\n', pos) + 1;
  text.insert(text.find('\n', pos), ",extra");  // line 150000
  CsvOptions four;
  four.num_threads = 4;
  EXPECT_EQ(ReadError(text, four), "data.csv line 150000: expected 3 fields, found 4");
}

TEST(CsvReaderTest, ThreadedParseReportsErrorsInOneThreadOrder) {
  std::string text = BigCsv(200000);  // "word" in column 'late' on line 199992
  CsvOptions options;
  options.num_threads = 3;
  options.types = {{"late", ColumnType::kInt64}};
  EXPECT_EQ(ReadError(text, options), "data.csv line 199992, column 'late': 'word' is not an int");
  text += "1,2\n";  // a short last row does not hide the earlier bad value
  EXPECT_EQ(ReadError(text, options), "data.csv line 199992, column 'late': 'word' is not an int");
  size_t pos = text.find('\n', 1000);
  size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + pos, '\n'));
  text.insert(pos, ",9");  // but an earlier ragged row comes first
  EXPECT_EQ(ReadError(text, options),
            "data.csv line " + std::to_string(line) + ": expected 3 fields, found 4");
}

TEST(CsvReaderTest, ThreadedParseHandlesQuotedNewlines) {
  std::string text = "a,b,c\n";
  for (int i = 0; i < 60000; ++i) {
    text +=
        std::to_string(i) + ",\"line one\nline \"\"two\"\"\"," + std::to_string(i % 2 == 0) + "\n";
  }
  CsvOptions one;
  one.num_threads = 1;
  CsvOptions three;
  three.num_threads = 3;
  Table a = Read(text, one);
  Table b = Read(text, three);
  ASSERT_EQ(b.num_rows(), 60000u);
  EXPECT_EQ(Col(b, "a").ints(), Col(a, "a").ints());
  EXPECT_EQ(Col(b, "b").strings(), Col(a, "b").strings());
  EXPECT_EQ(Col(b, "b").strings()[59999], "line one\nline \"two\"");
  EXPECT_EQ(Col(b, "c").ints()[3], 0);
  EXPECT_EQ(Col(b, "c").ints()[4], 1);
}

TEST(CsvReaderTest, FastNumberPathMatchesFromChars) {
  Table t = Read(
      "f,i\n"
      "0.1,123456789012345678\n"
      "123456789012.345678,-123456789012345678\n"
      "9007199254740993.5,9223372036854775807\n"
      "-0.000001,-0\n"
      "1.,0\n"
      "3.14159265358979323846,12\n");
  const std::vector<double>& f = Col(t, "f").doubles();
  EXPECT_EQ(f[0], 0.1);
  EXPECT_EQ(f[1], 123456789012.345678);
  EXPECT_EQ(f[2], 9007199254740993.5);
  EXPECT_EQ(f[3], -0.000001);
  EXPECT_EQ(f[4], 1.0);
  EXPECT_EQ(f[5], 3.14159265358979323846);
  ASSERT_EQ(Col(t, "i").type(), ColumnType::kInt64);
  const std::vector<int64_t>& i = Col(t, "i").ints();
  EXPECT_EQ(i[0], 123456789012345678);
  EXPECT_EQ(i[1], -123456789012345678);
  EXPECT_EQ(i[2], 9223372036854775807);
  EXPECT_EQ(i[3], 0);
}

}  // namespace
}  // namespace kiln::ml
