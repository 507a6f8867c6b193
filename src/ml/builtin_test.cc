#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "ml/builtin_step.h"
#include "ml/builtin_test_fixture.h"
#include "ml/builtins.h"
#include "ml/table_file.h"
#include "ml/table_rows.h"

namespace kiln::ml {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class BuiltinTest : public BuiltinFixture {
 protected:
  // 12 rows: label "a" x8 and "b" x4, value = row number.
  void WriteLabelled() {
    std::vector<int64_t> values;
    std::vector<std::string> labels;
    for (int i = 0; i < 12; ++i) {
      values.push_back(i);
      labels.push_back(i % 3 == 0 ? "b" : "a");
    }
    Table table;
    ASSERT_TRUE(table.AddColumn(Column::Int64("v", values)).ok());
    ASSERT_TRUE(table.AddColumn(Column::String("label", labels)).ok());
    ASSERT_TRUE(WriteTable(table, Path("in.ktab")).ok());
  }

  Result<std::pair<Table, Table>> Split(int64_t seed, const std::string& stratify) {
    json request = {{"builtin", "split"},
                    {"params", {{"test_fraction", 0.25}, {"seed", seed}, {"stratify", stratify}}},
                    {"inputs", {{"table", Path("in.ktab")}}},
                    {"outputs", {{"train", Path("train.ktab")}, {"test", Path("test.ktab")}}},
                    {"metrics_file", Path("metrics.jsonl")}};
    KILN_RETURN_IF_ERROR(RunRequest(request));
    KILN_ASSIGN_OR_RETURN(Table train, ReadTable(Path("train.ktab")));
    KILN_ASSIGN_OR_RETURN(Table test, ReadTable(Path("test.ktab")));
    return std::make_pair(std::move(train), std::move(test));
  }
};

TEST_F(BuiltinTest, RequestsAreReadWithTypedParams) {
  auto step = Request({{"builtin", "x"},
                       {"params", {{"n", 3}, {"f", 0.5}, {"b", true}, {"s", "t"}, {"l", {"a"}}}},
                       {"inputs", {{"in", "/p"}}},
                       {"input_sources", {{"in", "file:/data/x.csv"}}}});
  ASSERT_TRUE(step.ok()) << step.status().ToString();
  EXPECT_EQ(*step->Int("n"), 3);
  EXPECT_EQ(*step->Float("n"), 3.0);
  EXPECT_EQ(*step->Float("f"), 0.5);
  EXPECT_TRUE(*step->Bool("b"));
  EXPECT_EQ(*step->String("s"), "t");
  EXPECT_EQ(*step->StringList("l"), std::vector<std::string>{"a"});
  EXPECT_TRUE(step->StringList("absent")->empty());
  EXPECT_EQ(*step->Input("in"), "/p");
  EXPECT_EQ(step->InputLabel("in"), "/data/x.csv");
  EXPECT_EQ(step->Int("f").status().message(), "param 'f' is not an int");
  EXPECT_EQ(step->String("missing").status().message(), "param 'missing' has no value");
  EXPECT_EQ(step->Input("out").status().message(), "input 'out' is not bound");
  EXPECT_EQ(Request({{"params", json::object()}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Request({{"builtin", "x"}, {"inputs", {{"a", 1}}}}).status().message(),
            Path("req.json") + ": inputs.a is not a path");
}

TEST_F(BuiltinTest, UnknownBuiltinListsTheKnownOnes) {
  auto step = Request({{"builtin", "nope"}});
  ASSERT_TRUE(step.ok());
  Status status = RunBuiltin(*step);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  for (const char* name : {"read-csv", "split", "train-xgboost", "evaluate"}) {
    EXPECT_NE(status.message().find(name), std::string::npos) << status.message();
  }
}

TEST_F(BuiltinTest, StratifiedSplitKeepsLabelSharesAndIsReproducible) {
  WriteLabelled();
  auto first = Split(7, "label");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const Table& test = first->second;
  ASSERT_EQ(test.num_rows(), 3u);  // 25% of 8 "a" = 2, of 4 "b" = 1
  ASSERT_EQ(first->first.num_rows(), 9u);
  int b = 0;
  for (size_t i = 0; i < test.num_rows(); ++i) b += CellText(test.column(1), i) == "b";
  EXPECT_EQ(b, 1);
  auto again = Split(7, "label");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->second.column(0).ints(), test.column(0).ints());
  auto other = Split(8, "label");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->second.column(0).ints(), test.column(0).ints());
  // rows stay in their original order
  const auto& train_values = first->first.column(0).ints();
  EXPECT_TRUE(std::is_sorted(train_values.begin(), train_values.end()));
}

TEST_F(BuiltinTest, SplitRefusesBadParamsAndColumns) {
  WriteLabelled();
  EXPECT_NE(Split(1, "nope").status().message().find("no column 'nope'"), std::string::npos);
  json request = {{"builtin", "split"},
                  {"params", {{"test_fraction", 1.0}, {"seed", 1}, {"stratify", ""}}},
                  {"inputs", {{"table", Path("in.ktab")}}},
                  {"outputs", {{"train", Path("a")}, {"test", Path("b")}}}};
  auto step = Request(request);
  ASSERT_TRUE(step.ok());
  EXPECT_NE(RunBuiltin(*step).message().find("test_fraction"), std::string::npos);
  EXPECT_FALSE(fs::exists(Path("a")));
}

TEST_F(BuiltinTest, CheckListsEveryViolationAndPassesCleanTables) {
  Table table;
  ASSERT_TRUE(table.AddColumn(Column::Int64("age", {30, 200, 40, 150}, {1, 1, 0, 1})).ok());
  ASSERT_TRUE(table.AddColumn(Column::String("kind", {"a", "b", "z", "a"})).ok());
  ASSERT_TRUE(WriteTable(table, Path("in.ktab")).ok());
  auto run = [&](json params) {
    json request = {{"builtin", "check"},
                    {"params", params},
                    {"inputs", {{"table", Path("in.ktab")}}},
                    {"input_sources", {{"table", "file:people.csv"}}},
                    {"outputs", {{"table", Path("out.ktab")}}}};
    return RunRequest(request);
  };
  Status failed = run({{"required", {"age", "name"}},
                       {"types", {"age:int", "kind:float"}},
                       {"ranges", {"age:0..120"}},
                       {"allowed", {"kind:a|b"}},
                       {"max_null_fraction", 0.1}});
  EXPECT_EQ(failed.message(),
            "people.csv failed 5 check(s):\n"
            "  - column 'name' is missing\n"
            "  - column 'kind' is string, expected float64\n"
            "  - column 'age': 2 value(s) outside 0..120 (first at row 1: 200)\n"
            "  - column 'kind' row 2: 'z' is not one of a|b\n"
            "  - column 'age' is 25% missing (at most 10% allowed)")
      << failed.message();
  EXPECT_FALSE(fs::exists(Path("out.ktab")));
  EXPECT_EQ(run({{"types", {"age:date"}}, {"max_null_fraction", 1.0}}).code(),
            StatusCode::kInvalidArgument);
  Status passed = run({{"required", {"age"}},
                       {"types", {"age:int", "kind:string"}},
                       {"ranges", {"age:0.."}},
                       {"max_null_fraction", 0.25}});
  EXPECT_TRUE(passed.ok()) << passed.message();
  EXPECT_TRUE(fs::exists(Path("out.ktab")));
}

TEST_F(BuiltinTest, FilterRowsAndJoin) {
  Table people;
  ASSERT_TRUE(people.AddColumn(Column::Int64("id", {1, 2, 3, 4})).ok());
  ASSERT_TRUE(people.AddColumn(Column::Float64("age", {15, 30, 0, 45}, {1, 1, 0, 1})).ok());
  ASSERT_TRUE(people.AddColumn(Column::String("city", {"a", "b", "a", "c"})).ok());
  ASSERT_TRUE(WriteTable(people, Path("people.ktab")).ok());
  Table cities;
  ASSERT_TRUE(cities.AddColumn(Column::String("city", {"a", "b"})).ok());
  ASSERT_TRUE(cities.AddColumn(Column::Int64("id", {10, 20})).ok());
  ASSERT_TRUE(WriteTable(cities, Path("cities.ktab")).ok());
  auto run = [&](const json& request) { return RunRequest(request); };
  ASSERT_TRUE(run({{"builtin", "filter-rows"},
                   {"params", {{"where", {"age >= 18", "city != c"}}}},
                   {"inputs", {{"table", Path("people.ktab")}}},
                   {"outputs", {{"table", Path("adults.ktab")}}}})
                  .ok());
  EXPECT_EQ(ReadTable(Path("adults.ktab"))->column(0).ints(), std::vector<int64_t>{2});
  EXPECT_NE(run({{"builtin", "filter-rows"},
                 {"params", {{"where", {"age >= x"}}}},
                 {"inputs", {{"table", Path("people.ktab")}}},
                 {"outputs", {{"table", Path("x.ktab")}}}})
                .message()
                .find("'x' in 'age >= x' is not a number"),
            std::string::npos);
  ASSERT_TRUE(run({{"builtin", "join"},
                   {"params", {{"on", {"city"}}, {"how", "left"}}},
                   {"inputs", {{"left", Path("people.ktab")}, {"right", Path("cities.ktab")}}},
                   {"outputs", {{"table", Path("joined.ktab")}}}})
                  .ok());
  auto joined = ReadTable(Path("joined.ktab"));
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(joined->ColumnNames(), (std::vector<std::string>{"id", "age", "city", "id_right"}));
  EXPECT_EQ(joined->num_rows(), 4u);
  EXPECT_EQ(CellText(joined->column(3), 1), "20");
  EXPECT_FALSE(joined->column(3).IsValid(3));  // city c has no match
  ASSERT_TRUE(run({{"builtin", "join"},
                   {"params", {{"on", {"city"}}, {"how", "inner"}}},
                   {"inputs", {{"left", Path("people.ktab")}, {"right", Path("cities.ktab")}}},
                   {"outputs", {{"table", Path("inner.ktab")}}}})
                  .ok());
  EXPECT_EQ(ReadTable(Path("inner.ktab"))->num_rows(), 3u);
  EXPECT_NE(run({{"builtin", "join"},
                 {"params", {{"on", {"nope"}}, {"how", "inner"}}},
                 {"inputs", {{"left", Path("people.ktab")}, {"right", Path("cities.ktab")}}},
                 {"outputs", {{"table", Path("bad.ktab")}}}})
                .message()
                .find("no column 'nope'"),
            std::string::npos);
}

TEST(TableRowsTest, TakeRowsKeepsTypesAndNulls) {
  Table table;
  ASSERT_TRUE(table.AddColumn(Column::Float64("x", {1.5, 0, 3}, {1, 0, 1})).ok());
  ASSERT_TRUE(table.AddColumn(Column::Bool("b", {1, 0, 1})).ok());
  Table taken = TakeRows(table, {2, 1, 2});
  ASSERT_EQ(taken.num_rows(), 3u);
  EXPECT_EQ(taken.column(0).doubles(), (std::vector<double>{3, 0, 3}));
  EXPECT_FALSE(taken.column(0).IsValid(1));
  EXPECT_EQ(CellText(taken.column(0), 0), "3");
  EXPECT_EQ(CellText(taken.column(0), 1), "");
  EXPECT_EQ(CellText(taken.column(1), 1), "false");
}

}  // namespace
}  // namespace kiln::ml
