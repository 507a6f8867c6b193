#include "ml/feature_profile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

namespace kiln::ml {
namespace {

Table OneColumn(Column column) {
  Table t;
  EXPECT_TRUE(t.AddColumn(std::move(column)).ok());
  return t;
}

FeatureProfile ProfileOf(Column column) {
  const std::string name = column.name();
  auto profile = ProfileFeatures(OneColumn(std::move(column)), {name});
  EXPECT_TRUE(profile.ok()) << profile.status().ToString();
  return profile.ok() ? profile->at(0) : FeatureProfile{};
}

TEST(FeatureProfileTest, NumericEdgesAreDecilesWithEqualFractions) {
  std::vector<double> v(100);
  std::iota(v.begin(), v.end(), 1.0);  // 1..100
  std::reverse(v.begin(), v.end());    // order must not matter
  FeatureProfile p = ProfileOf(Column::Float64("x", v));
  EXPECT_EQ(p.kind, ProfileKind::kNumeric);
  EXPECT_EQ(p.edges, (std::vector<double>{10, 20, 30, 40, 50, 60, 70, 80, 90}));
  ASSERT_EQ(p.fractions.size(), 10u);
  for (double f : p.fractions) EXPECT_DOUBLE_EQ(f, 0.1);
  EXPECT_EQ(p.rows, 100);
  EXPECT_EQ(p.missing_fraction, 0);
  EXPECT_EQ(p.NumericBin(10), 0u);
  EXPECT_EQ(p.NumericBin(10.5), 1u);
  EXPECT_EQ(p.NumericBin(1e9), 9u);
}

TEST(FeatureProfileTest, TiedQuantilesAreDeduplicatedAndMissingCounted) {
  // 50 zeros, 1..40, 10 missing (5 NaN, 5 invalid).
  std::vector<double> v(50, 0.0);
  for (int i = 1; i <= 40; ++i) v.push_back(i);
  std::vector<uint8_t> valid(v.size(), 1);
  for (int i = 0; i < 5; ++i) v.push_back(NAN), valid.push_back(1);
  for (int i = 0; i < 5; ++i) v.push_back(0), valid.push_back(0);
  FeatureProfile p = ProfileOf(Column::Float64("x", v, valid));
  // 90 present values: cuts at the 9th, 18th, ... smallest: 0 (x5), 4, 13, 22, 31.
  EXPECT_EQ(p.edges, (std::vector<double>{0, 4, 13, 22, 31}));
  EXPECT_EQ(p.fractions, (std::vector<double>{0.5, 0.04, 0.09, 0.09, 0.09, 0.09}));
  EXPECT_DOUBLE_EQ(p.missing_fraction, 0.1);
}

TEST(FeatureProfileTest, ConstantColumnHasOneBin) {
  FeatureProfile p = ProfileOf(Column::Float64("x", {3, 3, 3}));
  EXPECT_TRUE(p.edges.empty());
  EXPECT_EQ(p.fractions, std::vector<double>{1.0});
}

TEST(FeatureProfileTest, LowCardinalityIntsAreCategorical) {
  FeatureProfile p = ProfileOf(Column::Int64("n", {2, 1, 2, 2, 3, 1}));
  EXPECT_EQ(p.kind, ProfileKind::kCategorical);
  EXPECT_EQ(p.categories, (std::vector<std::string>{"2", "1", "3"}));
  ASSERT_EQ(p.fractions.size(), 4u);  // + other
  EXPECT_DOUBLE_EQ(p.fractions[0], 0.5);
  EXPECT_DOUBLE_EQ(p.fractions[3], 0.0);
}

TEST(FeatureProfileTest, HighCardinalityIntsAreNumeric) {
  std::vector<int64_t> v(1000);
  std::iota(v.begin(), v.end(), 0);
  FeatureProfile p = ProfileOf(Column::Int64("n", v));
  EXPECT_EQ(p.kind, ProfileKind::kNumeric);
  EXPECT_EQ(p.edges.size(), 9u);
}

TEST(FeatureProfileTest, CategoriesBeyondTheCapGoToOther) {
  std::vector<std::string> v;
  for (int c = 0; c < 60; ++c) {
    // category c appears 100 - c times: the 50 most frequent are c0..c49.
    for (int k = 0; k < 100 - c; ++k) v.push_back("c" + std::to_string(c));
  }
  std::vector<uint8_t> valid(v.size(), 1);
  valid[0] = 0;  // one c0 missing
  FeatureProfile p = ProfileOf(Column::String("s", v, valid));
  ASSERT_EQ(p.categories.size(), kProfileMaxCategories);
  EXPECT_EQ(p.categories[0], "c0");  // 99 present, tied with c1: ties go by value
  EXPECT_EQ(p.categories[1], "c1");
  EXPECT_EQ(p.categories.back(), "c49");
  ASSERT_EQ(p.fractions.size(), kProfileMaxCategories + 1);
  EXPECT_DOUBLE_EQ(p.fractions.back(), 455.0 / 4230);  // c50..c59: 50 + 49 + ... + 41
  EXPECT_DOUBLE_EQ(p.missing_fraction, 1.0 / 4230);
}

TEST(FeatureProfileTest, BoolsAreCategorical) {
  FeatureProfile p = ProfileOf(Column::Bool("b", {1, 0, 1, 1}));
  EXPECT_EQ(p.categories, (std::vector<std::string>{"true", "false"}));
  EXPECT_EQ(p.fractions, (std::vector<double>{0.75, 0.25, 0.0}));
}

TEST(FeatureProfileTest, LargeColumnIsSampledReproducibly) {
  std::vector<double> v(300000);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>((i * 7919) % v.size());
  FeatureProfile a = ProfileOf(Column::Float64("x", v));
  FeatureProfile b = ProfileOf(Column::Float64("x", v));
  EXPECT_EQ(a.edges, b.edges);
  ASSERT_EQ(a.fractions.size(), 10u);
  for (double f : a.fractions) EXPECT_NEAR(f, 0.1, 0.01);  // sampled cuts, exact counts
}

TEST(FeatureProfileTest, UnknownOrRepeatedColumnIsInvalidArgument) {
  Table t = OneColumn(Column::Float64("x", {1}));
  auto missing = ProfileFeatures(t, {"y"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("'y'"), std::string::npos);
  EXPECT_FALSE(ProfileFeatures(t, {"x", "x"}).ok());
}

TEST(FeatureProfileTest, CategoryTextOfFloats) {
  Column c = Column::Float64("f", {3.0, 2.5, -1.0});
  EXPECT_EQ(CategoryText(c, 0), "3");
  EXPECT_EQ(CategoryText(c, 1), "2.5");
  EXPECT_EQ(CategoryText(c, 2), "-1");
}

TEST(FeatureProfileJsonTest, RoundTrips) {
  Table t;
  ASSERT_TRUE(t.AddColumn(Column::Float64("x", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})).ok());
  ASSERT_TRUE(
      t.AddColumn(Column::String("s", {"a", "b", "a", "", "a", "b", "c", "a", "a", "b", "a"},
                                 {1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1}))
          .ok());
  auto profile = ProfileFeatures(t, {"s", "x"});
  ASSERT_TRUE(profile.ok());
  nlohmann::json j = ProfileToJson(*profile);
  auto back = ProfileFromJson(nlohmann::json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const FeatureProfile &a = profile->at(i), &b = back->at(i);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.edges, b.edges);
    EXPECT_EQ(a.categories, b.categories);
    EXPECT_EQ(a.fractions, b.fractions);
    EXPECT_EQ(a.missing_fraction, b.missing_fraction);
    EXPECT_EQ(a.rows, b.rows);
  }
  EXPECT_EQ(j[0]["kind"], "categorical");
  EXPECT_EQ(j[1]["kind"], "numeric");
}

// The message of ProfileFromJson's error on `text`, or "" when it parses.
std::string ErrorOf(const std::string& text) {
  auto r = ProfileFromJson(nlohmann::json::parse(text));
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

TEST(FeatureProfileJsonTest, BadFieldsAreNamed) {
  const std::string ok =
      R"({"name":"x","kind":"numeric","rows":4,"edges":[1,2],"fractions":[0.25,0.25,0.25],)"
      R"("missing":0.25})";
  EXPECT_EQ(ErrorOf("[" + ok + "]"), "");
  EXPECT_NE(ErrorOf("{}").find("array"), std::string::npos);
  EXPECT_NE(ErrorOf("[" + ok + ",1]").find("[1]"), std::string::npos);
  EXPECT_NE(ErrorOf("[" + ok + "," + ok + "]").find("[1].name"), std::string::npos);
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = ok;
    s.replace(s.find(from), from.size(), to);
    return ErrorOf("[" + s + "]");
  };
  EXPECT_NE(with(R"("name":"x")", R"("name":"")").find("[0].name"), std::string::npos);
  EXPECT_NE(with("numeric", "ordinal").find("[0].kind"), std::string::npos);
  EXPECT_NE(with(R"("rows":4)", R"("rows":-1)").find("[0].rows"), std::string::npos);
  EXPECT_NE(with("[1,2]", "[2,1]").find("[0].edges"), std::string::npos);
  EXPECT_NE(with("[1,2]", R"([1,"2"])").find("[0].edges"), std::string::npos);
  EXPECT_NE(with("[0.25,0.25,0.25]", "[0.5,0.25]").find("[0].fractions"), std::string::npos);
  EXPECT_NE(with("[0.25,0.25,0.25]", "[0.5,0.5,0.25]").find("[0].fractions"), std::string::npos);
  EXPECT_NE(with(R"("missing":0.25)", R"("missing":2)").find("[0].missing"), std::string::npos);
  EXPECT_NE(with(R"("kind":"numeric","rows":4,"edges":[1,2])",
                 R"("kind":"categorical","rows":4,"categories":["a","a"])")
                .find("[0].categories"),
            std::string::npos);
}

}  // namespace
}  // namespace kiln::ml
