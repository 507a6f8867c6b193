#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "ml/builtin_step.h"
#include "ml/builtin_test_fixture.h"
#include "ml/builtins.h"
#include "ml/preprocess.h"
#include "ml/preprocess_json.h"
#include "ml/table_file.h"

namespace kiln::ml {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class PreprocessBuiltinTest : public BuiltinFixture {
 protected:
  void Write(const std::string& name, std::vector<Column> columns) {
    Table table;
    for (Column& column : columns) ASSERT_TRUE(table.AddColumn(std::move(column)).ok());
    ASSERT_TRUE(WriteTable(table, Path(name)).ok());
  }

  Status Run(const json& params) {
    json request = {{"builtin", "preprocess"},
                    {"params", params},
                    {"inputs", {{"train", Path("train.ktab")}, {"test", Path("test.ktab")}}},
                    {"input_sources", {{"test", "step:split.test"}}},
                    {"outputs",
                     {{"train", Path("train_out.ktab")},
                      {"test", Path("test_out.ktab")},
                      {"preprocess", Path("preprocess.json")}}},
                    {"metrics_file", Path("metrics.jsonl")}};
    return RunRequest(request);
  }
};

TEST_F(PreprocessBuiltinTest, FitsOnTrainAndAppliesToBoth) {
  Write("train.ktab", {Column::Float64("x", {1, 0, 3}, {1, 0, 1}),
                       Column::String("color", {"red", "blue", "red"})});
  Write("test.ktab", {Column::Float64("x", {5}), Column::String("color", {"blue"})});
  Status status = Run({{"impute_mean", {"x"}},
                       {"one_hot", {"color"}},
                       {"standardize", {"x"}},
                       {"cross_product", json::array()}});
  ASSERT_TRUE(status.ok()) << status.ToString();

  auto train = ReadTable(Path("train_out.ktab"));
  auto test = ReadTable(Path("test_out.ktab"));
  ASSERT_TRUE(train.ok() && test.ok());
  EXPECT_EQ(train->ColumnNames(), (std::vector<std::string>{"x", "color=blue", "color=red"}));
  const double sd = std::sqrt(2.0 / 3.0);  // train x after impute: [1, 2, 3]
  EXPECT_EQ(train->column(0).doubles(), (std::vector<double>{-1 / sd, 0, 1 / sd}));
  EXPECT_EQ(test->column(0).doubles(), (std::vector<double>{3 / sd}));  // train's mean and std
  EXPECT_EQ(test->column(1).doubles(), (std::vector<double>{1}));
  EXPECT_EQ(test->column(2).doubles(), (std::vector<double>{0}));

  std::ifstream in(Path("preprocess.json"));
  std::stringstream text;
  text << in.rdbuf();
  auto chain = PreprocessFromJson(json::parse(text.str()));
  ASSERT_TRUE(chain.ok()) << chain.status().message();
  EXPECT_EQ(chain->standardize[0].mean, 2.0);
  EXPECT_EQ(chain->one_hot[0].categories, (std::vector<std::string>{"blue", "red"}));

  std::ifstream metrics(Path("metrics.jsonl"));
  std::stringstream lines;
  lines << metrics.rdbuf();
  EXPECT_NE(lines.str().find(R"({"key":"train_columns","value":3.0})"), std::string::npos)
      << lines.str();
}

TEST_F(PreprocessBuiltinTest, UnseenTestCategoriesAreEncodedAndCounted) {
  Write("train.ktab", {Column::String("color", {"red", "blue"})});
  Write("test.ktab", {Column::String("color", {"blue", "purple"})});
  Status status = Run({{"one_hot", {"color"}}});
  ASSERT_TRUE(status.ok()) << status.ToString();
  auto test = ReadTable(Path("test_out.ktab"));
  ASSERT_TRUE(test.ok());
  EXPECT_EQ(test->column(0).doubles(), (std::vector<double>{1, 0}));  // color=blue
  EXPECT_EQ(test->column(1).doubles(), (std::vector<double>{0, 0}));  // color=red
  std::ifstream metrics(Path("metrics.jsonl"));
  std::stringstream lines;
  lines << metrics.rdbuf();
  EXPECT_NE(lines.str().find(R"({"key":"test_unseen_values","value":1.0})"), std::string::npos)
      << lines.str();
}

TEST_F(PreprocessBuiltinTest, TestErrorsNameTheInputAndRow) {
  Write("train.ktab", {Column::String("color", {"red", "blue"})});
  Write("test.ktab", {Column::String("color", {"blue", ""}, {1, 0})});
  Status status = Run({{"label_encode", {"color"}}});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "step:split.test: column 'color' row 1: missing value (label_encode needs one; impute "
            "the column first)");
  EXPECT_FALSE(fs::exists(Path("preprocess.json")));
  EXPECT_EQ(Run({{"cross_product", {"ab"}}}).message(),
            "param 'cross_product' entry 'ab' is not of the form a*b");
}

}  // namespace
}  // namespace kiln::ml
