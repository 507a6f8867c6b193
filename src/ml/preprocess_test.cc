#include "ml/preprocess.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "ml/preprocess_json.h"
#include "ml/table_rows.h"

namespace kiln::ml {
namespace {

using nlohmann::json;

Table MakeTable(std::vector<Column> columns) {
  Table table;
  for (Column& column : columns) EXPECT_TRUE(table.AddColumn(std::move(column)).ok());
  return table;
}

const Column& Col(const Table& table, const std::string& name) {
  static const Column kNone("none", ColumnType::kFloat64);
  auto column = table.Find(name);
  EXPECT_TRUE(column.ok()) << column.status().message();
  return column.ok() ? **column : kNone;
}

// Fits `spec` on `train` and applies it to `train`.
Table FitApply(const PreprocessSpec& spec, const Table& train) {
  auto fitted = FitPreprocess(spec, train);
  EXPECT_TRUE(fitted.ok()) << fitted.status().message();
  if (!fitted.ok()) return Table();
  auto out = ApplyPreprocess(*fitted, train);
  EXPECT_TRUE(out.ok()) << out.status().message();
  return out.ok() ? *out : Table();
}

std::string FitError(const PreprocessSpec& spec, const Table& train) {
  auto fitted = FitPreprocess(spec, train);
  EXPECT_FALSE(fitted.ok());
  if (fitted.ok()) return "";
  EXPECT_EQ(fitted.status().code(), StatusCode::kInvalidArgument);
  return fitted.status().message();
}

std::string ApplyError(const FittedPreprocess& fitted, const Table& input) {
  auto out = ApplyPreprocess(fitted, input);
  EXPECT_FALSE(out.ok());
  if (out.ok()) return "";
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  return out.status().message();
}

// Names, types, masks and values equal, doubles compared bit for bit.
void ExpectIdentical(const Table& a, const Table& b) {
  ASSERT_EQ(a.ColumnNames(), b.ColumnNames());
  ASSERT_EQ(a.num_rows(), b.num_rows());
  for (size_t c = 0; c < a.num_columns(); ++c) {
    const Column& x = a.column(c);
    const Column& y = b.column(c);
    ASSERT_EQ(x.type(), y.type()) << x.name();
    EXPECT_EQ(x.valid(), y.valid()) << x.name();
    if (x.type() != ColumnType::kFloat64) {
      for (size_t r = 0; r < a.num_rows(); ++r) EXPECT_EQ(CellText(x, r), CellText(y, r));
      continue;
    }
    for (size_t r = 0; r < a.num_rows(); ++r) {
      EXPECT_EQ(std::bit_cast<uint64_t>(x.doubles()[r]), std::bit_cast<uint64_t>(y.doubles()[r]))
          << x.name() << " row " << r;
    }
  }
}

TEST(PreprocessTest, StandardizeUsesPopulationStd) {
  PreprocessSpec spec;
  spec.standardize = {"x", "k"};
  Table out =
      FitApply(spec, MakeTable({Column::Float64("x", {1, 2, 3}), Column::Int64("k", {5, 5, 5})}));
  const double sd = std::sqrt(2.0 / 3.0);  // population: divides by n, not n - 1
  EXPECT_EQ(Col(out, "x").doubles(), (std::vector<double>{-1 / sd, 0, 1 / sd}));
  EXPECT_DOUBLE_EQ(Col(out, "x").doubles()[0], -1.2247448713915890);
  EXPECT_EQ(Col(out, "k").type(), ColumnType::kFloat64);
  EXPECT_EQ(Col(out, "k").doubles(), (std::vector<double>{0, 0, 0}));  // std 0 -> 1
}

TEST(PreprocessTest, MinMaxScalesByTrainingRangeWithoutClipping) {
  PreprocessSpec spec;
  spec.minmax = {"x", "c"};
  Table train = MakeTable({Column::Int64("x", {2, 6, 4}), Column::Float64("c", {7, 7, 7})});
  auto fitted = FitPreprocess(spec, train);
  ASSERT_TRUE(fitted.ok()) << fitted.status().message();
  auto out = ApplyPreprocess(*fitted, train);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Col(*out, "x").doubles(), (std::vector<double>{0, 1, 0.5}));
  EXPECT_EQ(Col(*out, "c").doubles(), (std::vector<double>{0, 0, 0}));  // range 0 -> 0
  auto serving =
      ApplyPreprocess(*fitted, MakeTable({Column::Float64("x", {10}), Column::Float64("c", {9})}));
  ASSERT_TRUE(serving.ok()) << serving.status().message();
  EXPECT_EQ(Col(*serving, "x").doubles(), (std::vector<double>{2}));
  EXPECT_EQ(Col(*serving, "c").doubles(), (std::vector<double>{0}));
}

TEST(PreprocessTest, ImputesMeanMedianAndMostFrequent) {
  PreprocessSpec spec;
  spec.impute_mean = {"m"};
  spec.impute_median = {"d"};
  spec.impute_most_frequent = {"s", "i"};
  Table out = FitApply(spec, MakeTable({Column::Float64("m", {1, 0, 3, 4}, {1, 0, 1, 1}),
                                        Column::Int64("d", {1, 4, 0, 2}, {1, 1, 0, 1}),
                                        Column::String("s", {"b", "a", "", "b"}, {1, 1, 0, 1}),
                                        Column::Int64("i", {3, 0, 1, 1}, {1, 0, 1, 1})}));
  EXPECT_EQ(Col(out, "m").doubles(), (std::vector<double>{1, 8.0 / 3.0, 3, 4}));
  EXPECT_EQ(Col(out, "d").type(), ColumnType::kFloat64);  // int mean/median -> float64
  EXPECT_EQ(Col(out, "d").doubles(), (std::vector<double>{1, 4, 2, 2}));
  EXPECT_EQ(Col(out, "s").strings(), (std::vector<std::string>{"b", "a", "b", "b"}));
  EXPECT_EQ(Col(out, "i").type(), ColumnType::kInt64);
  EXPECT_EQ(Col(out, "i").ints(), (std::vector<int64_t>{3, 1, 1, 1}));
  for (const char* name : {"m", "d", "s", "i"}) EXPECT_EQ(Col(out, name).NullCount(), 0u);
}

TEST(PreprocessTest, MedianOfEvenCountAndMostFrequentTieGoesToSmallest) {
  PreprocessSpec spec;
  spec.impute_median = {"x"};
  spec.impute_most_frequent = {"s"};
  Table out =
      FitApply(spec, MakeTable({Column::Int64("x", {1, 2, 3, 4, 0}, {1, 1, 1, 1, 0}),
                                Column::String("s", {"b", "a", "", "b", "a"}, {1, 1, 0, 1, 1})}));
  EXPECT_EQ(Col(out, "x").doubles()[4], 2.5);
  EXPECT_EQ(Col(out, "s").strings()[2], "a");
}

TEST(PreprocessTest, CrossFeaturesAreAppended) {
  PreprocessSpec spec;
  spec.cross_product = {{"a", "b"}};
  spec.cross_concat = {{"s", "a"}};
  Table out = FitApply(spec, MakeTable({Column::Int64("a", {2, 3}), Column::Float64("b", {1.5, -1}),
                                        Column::String("s", {"x", "y"})}));
  EXPECT_EQ(out.ColumnNames(), (std::vector<std::string>{"a", "b", "s", "a*b", "s+a"}));
  EXPECT_EQ(Col(out, "a*b").doubles(), (std::vector<double>{3, -3}));
  EXPECT_EQ(Col(out, "s+a").strings(), (std::vector<std::string>{"x_2", "y_3"}));
}

TEST(PreprocessTest, LabelCodesFollowSortedTrainingValues) {
  PreprocessSpec spec;
  spec.label_encode = {"color", "n", "b"};
  Table out = FitApply(
      spec, MakeTable({Column::String("color", {"red", "blue", "red", "green"}),
                       Column::Int64("n", {10, 2, 10, 9}), Column::Bool("b", {1, 0, 1, 1})}));
  EXPECT_EQ(Col(out, "color").ints(), (std::vector<int64_t>{2, 0, 2, 1}));
  EXPECT_EQ(Col(out, "n").ints(), (std::vector<int64_t>{2, 0, 2, 1}));  // numeric order
  EXPECT_EQ(Col(out, "b").ints(), (std::vector<int64_t>{1, 0, 1, 1}));
}

TEST(PreprocessTest, OneHotReplacesTheColumnInPlace) {
  PreprocessSpec spec;
  spec.one_hot = {"color"};
  Table out = FitApply(spec, MakeTable({Column::Int64("id", {1, 2, 3}),
                                        Column::String("color", {"red", "blue", "red"}),
                                        Column::Float64("y", {0, 1, 0})}));
  EXPECT_EQ(out.ColumnNames(), (std::vector<std::string>{"id", "color=blue", "color=red", "y"}));
  EXPECT_EQ(Col(out, "color=blue").doubles(), (std::vector<double>{0, 1, 0}));
  EXPECT_EQ(Col(out, "color=red").doubles(), (std::vector<double>{1, 0, 1}));
}

TEST(PreprocessTest, ImputeRunsBeforeStandardize) {
  PreprocessSpec spec;
  spec.standardize = {"x"};
  spec.impute_mean = {"x"};
  Table train = MakeTable({Column::Float64("x", {1, 0, 3}, {1, 0, 1})});
  auto fitted = FitPreprocess(spec, train);
  ASSERT_TRUE(fitted.ok()) << fitted.status().message();
  EXPECT_EQ(fitted->standardize[0].mean, 2.0);  // fitted on [1, 2, 3]
  auto out = ApplyPreprocess(*fitted, MakeTable({Column::Float64("x", {0}, {0})}));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(Col(*out, "x").doubles(), (std::vector<double>{0}));
}

TEST(PreprocessTest, LenientApplyEncodesUnseenCategoriesAndListsThem) {
  PreprocessSpec spec;
  spec.one_hot = {"color"};
  spec.label_encode = {"size"};
  const Table train = MakeTable(
      {Column::String("color", {"red", "blue", "red"}), Column::String("size", {"s", "m", "l"})});
  auto fitted = FitPreprocess(spec, train);
  ASSERT_TRUE(fitted.ok()) << fitted.status().message();
  const Table input = MakeTable({Column::String("color", {"red", "purple", "blue"}),
                                 Column::String("size", {"xl", "m", "s"})});
  std::vector<UnseenCategory> unseen;
  auto out = ApplyPreprocess(*fitted, input, unseen);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(Col(*out, "color=blue").doubles(), (std::vector<double>{0, 0, 1}));
  EXPECT_EQ(Col(*out, "color=red").doubles(), (std::vector<double>{1, 0, 0}));  // row 1: zeros
  const Column& size = Col(*out, "size");  // l, m, s -> 0, 1, 2; "xl" -> missing
  EXPECT_FALSE(size.IsValid(0));
  EXPECT_EQ(size.ints()[1], 1);
  EXPECT_EQ(size.ints()[2], 2);
  ASSERT_EQ(unseen.size(), 2u);  // label_encode runs before one_hot
  EXPECT_EQ(UnseenCategoryWarning(unseen[0]),
            "row 0: 'xl' is not a known category of 'size' (encoded as a missing value)");
  EXPECT_EQ(UnseenCategoryWarning(unseen[1]),
            "row 1: 'purple' is not a known category of 'color' (encoded as all zeros)");
  EXPECT_EQ(UnseenCategoryError(unseen[1]).message(),
            "column 'color' row 1: 'purple' was not seen in training (known: blue, red)");
  // the strict apply refuses the same input; both agree on rows without unseen values
  EXPECT_EQ(ApplyError(*fitted, input),
            "column 'size' row 0: 'xl' was not seen in training (known: l, m, s)");
  std::vector<UnseenCategory> none;
  auto lenient = ApplyPreprocess(*fitted, train, none);
  auto strict = ApplyPreprocess(*fitted, train);
  ASSERT_TRUE(lenient.ok() && strict.ok());
  EXPECT_TRUE(none.empty());
  ExpectIdentical(*lenient, *strict);
}

TEST(PreprocessTest, ErrorsNameColumnAndRow) {
  PreprocessSpec spec;
  spec.one_hot = {"color"};
  auto fitted = FitPreprocess(spec, MakeTable({Column::String("color", {"red", "blue", "red"})}));
  ASSERT_TRUE(fitted.ok());
  // rows count from 0, as in every other error (serving's rows[0])
  EXPECT_EQ(ApplyError(*fitted, MakeTable({Column::String("color", {"red", "red", "purple"})})),
            "column 'color' row 2: 'purple' was not seen in training (known: blue, red)");
  EXPECT_EQ(ApplyError(*fitted, MakeTable({Column::String("sex", {"f"})})),
            "column 'color' is missing");
  EXPECT_EQ(ApplyError(*fitted, MakeTable({Column::Int64("color", {1})})),
            "column 'color' is int64 but was string in training");
  EXPECT_EQ(ApplyError(*fitted, MakeTable({Column::String("color", {"red", ""}, {1, 0})})),
            "column 'color' row 1: missing value (one_hot needs one; impute the column first)");

  PreprocessSpec scale;
  scale.standardize = {"x"};
  EXPECT_EQ(FitError(scale, MakeTable({Column::Float64("x", {1, 0}, {1, 0})})),
            "column 'x' row 1: missing value (standardize needs one; impute the column first)");
  EXPECT_EQ(FitError(scale, MakeTable({Column::String("x", {"a"})})),
            "column 'x' is string; standardize needs an int64 or float64 column");
  EXPECT_EQ(FitError(scale, Table()), "the training table has no rows");
  PreprocessSpec mean;
  mean.impute_mean = {"x"};
  EXPECT_EQ(FitError(mean, MakeTable({Column::Float64("x", {0, 0}, {0, 0})})),
            "column 'x' has no values to fit mean");
  mean.impute_median = {"x"};
  EXPECT_EQ(FitError(mean, MakeTable({Column::Float64("x", {1})})),
            "column 'x' is named twice in impute");
  PreprocessSpec floats;
  floats.label_encode = {"x"};
  EXPECT_EQ(FitError(floats, MakeTable({Column::Float64("x", {1})})),
            "column 'x' is float64; label_encode needs a string, bool or int64 column");
}

// A table exercising every operation, with missing values where imputed.
Table RichTable() {
  return MakeTable({Column::Float64("age", {22, 0, 35.5, 58, 0.1}, {1, 0, 1, 1, 1}),
                    Column::Int64("fare", {7, 71, 8, 0, 13}, {1, 1, 1, 0, 1}),
                    Column::String("sex", {"m", "f", "", "f", "m"}, {1, 1, 0, 1, 1}),
                    Column::String("port", {"S", "C", "S", "Q", "S"}),
                    Column::Bool("alone", {1, 0, 1, 1, 0})});
}

PreprocessSpec RichSpec() {
  PreprocessSpec spec;
  spec.impute_mean = {"age"};
  spec.impute_median = {"fare"};
  spec.impute_most_frequent = {"sex"};
  spec.cross_product = {{"age", "fare"}};
  spec.cross_concat = {{"sex", "port"}};
  spec.label_encode = {"alone"};
  spec.one_hot = {"port", "sex+port"};
  spec.standardize = {"age", "age*fare"};
  spec.minmax = {"fare", "alone"};
  return spec;
}

TEST(PreprocessTest, OneRowAloneGivesTheSameBitsAsInTheWholeTable) {
  Table train = RichTable();
  auto fitted = FitPreprocess(RichSpec(), train);
  ASSERT_TRUE(fitted.ok()) << fitted.status().message();
  auto whole = ApplyPreprocess(*fitted, train);
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_EQ(whole->num_columns(), 12u);
  for (size_t row = 0; row < train.num_rows(); ++row) {
    auto alone = ApplyPreprocess(*fitted, TakeRows(train, {row}));
    ASSERT_TRUE(alone.ok()) << alone.status().message();
    ExpectIdentical(*alone, TakeRows(*whole, {row}));
  }
}

TEST(PreprocessTest, JsonRoundTripAppliesIdentically) {
  Table train = RichTable();
  auto fitted = FitPreprocess(RichSpec(), train);
  ASSERT_TRUE(fitted.ok()) << fitted.status().message();
  auto text = PreprocessJsonText(*fitted);
  ASSERT_TRUE(text.ok());
  auto back = PreprocessFromJson(json::parse(*text));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(PreprocessToJson(*back), PreprocessToJson(*fitted));
  auto a = ApplyPreprocess(*fitted, train);
  auto b = ApplyPreprocess(*back, train);
  ASSERT_TRUE(a.ok() && b.ok());
  ExpectIdentical(*a, *b);
  EXPECT_EQ(json::parse(*text)["format"], "kiln-preprocess-v1");
}

TEST(PreprocessTest, JsonDoublesRoundTripExactly) {
  FittedPreprocess fitted;
  const double values[] = {
      0.1,     1.0 / 3.0,           0.1 + 0.2, 1e-310, 5e-324, 1.7976931348623157e308,
      -2.5e-8, 123456789.123456789, 2.0};
  for (double v : values) fitted.standardize.push_back({"x", v, v});
  auto back = PreprocessFromJson(json::parse(PreprocessToJson(fitted).dump()));
  ASSERT_TRUE(back.ok()) << back.status().message();
  for (size_t i = 0; i < std::size(values); ++i) {
    EXPECT_EQ(std::bit_cast<uint64_t>(back->standardize[i].mean),
              std::bit_cast<uint64_t>(values[i]));
  }
}

TEST(PreprocessTest, BadJsonNamesTheField) {
  auto error = [](const json& j) { return PreprocessFromJson(j).status().message(); };
  json good = PreprocessToJson(*FitPreprocess(RichSpec(), RichTable()));
  EXPECT_EQ(error(json::array()), "preprocess JSON: the document is not an object");
  json bad = good;
  bad["format"] = "kiln-preprocess-v9";
  EXPECT_EQ(error(bad),
            "preprocess JSON: format is 'kiln-preprocess-v9', expected 'kiln-preprocess-v1'");
  bad = good;
  bad["standardize"][0]["mean"] = "zero";
  EXPECT_EQ(error(bad), "preprocess JSON: standardize[0].mean is not a number");
  bad = good;
  bad.erase("minmax");
  EXPECT_EQ(error(bad), "preprocess JSON: minmax is missing");
  bad = good;
  bad["impute"][2]["value"] = 3;  // most_frequent of a string column
  EXPECT_EQ(error(bad), "preprocess JSON: impute[2].value is not a string");
  bad = good;
  bad["one_hot"][0]["type"] = "text";
  EXPECT_EQ(error(bad), "preprocess JSON: one_hot[0].type is not a column type: 'text'");
  EXPECT_EQ(PreprocessFromJson(bad).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kiln::ml
