#include "meta/search_filter.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiln::meta {
namespace {

using Kind = FilterValue::Kind;

std::vector<FilterClause> Parse(std::string_view filter) {
  Result<std::vector<FilterClause>> result = ParseFilter(filter);
  EXPECT_TRUE(result.ok()) << filter << " -> " << result.status().ToString();
  return result.ok() ? std::move(result).value() : std::vector<FilterClause>{};
}

FilterClause ParseOne(std::string_view filter) {
  std::vector<FilterClause> clauses = Parse(filter);
  EXPECT_EQ(clauses.size(), 1u) << filter;
  return clauses.empty() ? FilterClause{} : clauses[0];
}

std::string FilterError(std::string_view filter) {
  Result<std::vector<FilterClause>> result = ParseFilter(filter);
  EXPECT_FALSE(result.ok()) << filter;
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << filter;
  return result.status().message();
}

std::string OrderByError(std::string_view text) {
  Result<OrderByClause> result = ParseOrderBy(text);
  EXPECT_FALSE(result.ok()) << text;
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << text;
  return result.status().message();
}

// ---- accepted filters -------------------------------------------------------------------

TEST(ParseFilterTest, EmptyOrBlankFilterHasNoClauses) {
  EXPECT_TRUE(Parse("").empty());
  EXPECT_TRUE(Parse("  \t\n ").empty());
}

TEST(ParseFilterTest, MetricGreaterThanNumber) {
  FilterClause c = ParseOne("metrics.acc > 0.9");
  EXPECT_EQ(c.entity, FilterEntity::kMetric);
  EXPECT_EQ(c.key, "acc");
  EXPECT_EQ(c.op, Comparator::kGt);
  EXPECT_EQ(c.value.kind, Kind::kNumber);
  EXPECT_DOUBLE_EQ(c.value.number, 0.9);
  EXPECT_EQ(c.value.text, "0.9");
  EXPECT_EQ(c.position, 0u);
}

TEST(ParseFilterTest, EverySymbolComparator) {
  const std::pair<const char*, Comparator> cases[] = {
      {"=", Comparator::kEq},  {"!=", Comparator::kNe}, {"<>", Comparator::kNe},
      {">", Comparator::kGt},  {">=", Comparator::kGe}, {"<", Comparator::kLt},
      {"<=", Comparator::kLe},
  };
  for (const auto& [text, op] : cases) {
    EXPECT_EQ(ParseOne(std::string("metrics.m ") + text + " 1").op, op) << text;
    EXPECT_EQ(ParseOne(std::string("metrics.m") + text + "1").op, op) << text << " unspaced";
  }
}

TEST(ParseFilterTest, LikeAndILike) {
  FilterClause like = ParseOne("tags.note LIKE '%best%'");
  EXPECT_EQ(like.op, Comparator::kLike);
  EXPECT_EQ(like.value.kind, Kind::kString);
  EXPECT_EQ(like.value.text, "%best%");
  EXPECT_EQ(ParseOne("attributes.run_name ILIKE 'Run-%'").op, Comparator::kILike);
}

TEST(ParseFilterTest, InList) {
  FilterClause c = ParseOne("attributes.run_id IN ('a1', \"b2\",'c3')");
  EXPECT_EQ(c.op, Comparator::kIn);
  EXPECT_EQ(c.value.kind, Kind::kList);
  EXPECT_EQ(c.value.items, (std::vector<std::string>{"a1", "b2", "c3"}));
}

TEST(ParseFilterTest, NotInListWithOneItem) {
  FilterClause c = ParseOne("run_id NOT IN ('x')");
  EXPECT_EQ(c.op, Comparator::kNotIn);
  EXPECT_EQ(c.value.items, (std::vector<std::string>{"x"}));
}

TEST(ParseFilterTest, NumbersInListKeepTheirText) {
  FilterClause c = ParseOne("datasets.digest IN (12, -3.5e2)");
  EXPECT_EQ(c.value.items, (std::vector<std::string>{"12", "-3.5e2"}));
}

TEST(ParseFilterTest, IsNullAndIsNotNull) {
  FilterClause is_null = ParseOne("tags.owner IS NULL");
  EXPECT_EQ(is_null.op, Comparator::kIsNull);
  EXPECT_EQ(is_null.value.kind, Kind::kNone);
  FilterClause not_null = ParseOne("metrics.loss is not null");
  EXPECT_EQ(not_null.op, Comparator::kIsNotNull);
  EXPECT_EQ(not_null.value.kind, Kind::kNone);
}

TEST(ParseFilterTest, EveryEntityAlias) {
  const std::pair<const char*, FilterEntity> cases[] = {
      {"metric", FilterEntity::kMetric},
      {"metrics", FilterEntity::kMetric},
      {"param", FilterEntity::kParam},
      {"params", FilterEntity::kParam},
      {"parameter", FilterEntity::kParam},
      {"parameters", FilterEntity::kParam},
      {"tag", FilterEntity::kTag},
      {"tags", FilterEntity::kTag},
      {"attribute", FilterEntity::kAttribute},
      {"attributes", FilterEntity::kAttribute},
      {"attr", FilterEntity::kAttribute},
      {"run", FilterEntity::kAttribute},
      {"dataset", FilterEntity::kDataset},
      {"datasets", FilterEntity::kDataset},
  };
  for (const auto& [alias, entity] : cases) {
    const std::string value = entity == FilterEntity::kMetric ? "1" : "'v'";
    FilterClause c = ParseOne(std::string(alias) + ".k = " + value);
    EXPECT_EQ(c.entity, entity) << alias;
    EXPECT_EQ(c.key, "k") << alias;
  }
}

TEST(ParseFilterTest, EntityPrefixIsCaseInsensitiveButKeyIsNot) {
  FilterClause c = ParseOne("METRICS.Acc > 1");
  EXPECT_EQ(c.entity, FilterEntity::kMetric);
  EXPECT_EQ(c.key, "Acc");
  EXPECT_EQ(ParseOne("Tags.x = 'y'").entity, FilterEntity::kTag);
}

TEST(ParseFilterTest, BareIdentifierIsAttribute) {
  FilterClause c = ParseOne("status = 'FINISHED'");
  EXPECT_EQ(c.entity, FilterEntity::kAttribute);
  EXPECT_EQ(c.key, "status");
  EXPECT_EQ(ParseOne("creation_time >= 5").key, "creation_time");
}

TEST(ParseFilterTest, DottedKeyKeepsEverythingAfterFirstDot) {
  FilterClause c = ParseOne("tags.mlflow.source.name = 'train.py'");
  EXPECT_EQ(c.entity, FilterEntity::kTag);
  EXPECT_EQ(c.key, "mlflow.source.name");
}

TEST(ParseFilterTest, BareKeyMayContainDashColonSlash) {
  EXPECT_EQ(ParseOne("metrics.val-loss:step/2 < 3").key, "val-loss:step/2");
}

TEST(ParseFilterTest, DoubleQuotedKey) {
  FilterClause c = ParseOne("tags.\"mlflow.runName\" = 'r1'");
  EXPECT_EQ(c.entity, FilterEntity::kTag);
  EXPECT_EQ(c.key, "mlflow.runName");
}

TEST(ParseFilterTest, BacktickedKeyWithSpaces) {
  FilterClause c = ParseOne("metrics.`my metric` >= 2");
  EXPECT_EQ(c.entity, FilterEntity::kMetric);
  EXPECT_EQ(c.key, "my metric");
}

TEST(ParseFilterTest, QuotedBareIdentifierIsAttribute) {
  FilterClause c = ParseOne("`start_time` > 1700000000000");
  EXPECT_EQ(c.entity, FilterEntity::kAttribute);
  EXPECT_EQ(c.key, "start_time");
  EXPECT_DOUBLE_EQ(c.value.number, 1700000000000.0);
}

TEST(ParseFilterTest, DoubleQuotedValue) {
  FilterClause c = ParseOne("params.optimizer = \"adam\"");
  EXPECT_EQ(c.value.kind, Kind::kString);
  EXPECT_EQ(c.value.text, "adam");
}

TEST(ParseFilterTest, EscapedQuotesInStrings) {
  EXPECT_EQ(ParseOne(R"(tags.t = 'it\'s')").value.text, "it's");
  EXPECT_EQ(ParseOne("tags.t = 'it''s'").value.text, "it's");
  EXPECT_EQ(ParseOne(R"(tags.t = "say ""hi""")").value.text, "say \"hi\"");
  EXPECT_EQ(ParseOne("tags.t = ''").value.text, "");
}

TEST(ParseFilterTest, OtherBackslashesAreKeptForLikePatterns) {
  EXPECT_EQ(ParseOne(R"(tags.t LIKE 'a\_b%')").value.text, R"(a\_b%)");
  EXPECT_EQ(ParseOne(R"(tags.t = 'dir\\')").value.text, R"(dir\\)");
}

TEST(ParseFilterTest, NumberForms) {
  const std::pair<const char*, double> cases[] = {
      {"-1", -1},    {"42", 42},    {"0.5", 0.5},      {"-2.5", -2.5},
      {".25", 0.25}, {"1e3", 1000}, {"1.5E-2", 0.015}, {"-1e+2", -100},
  };
  for (const auto& [text, number] : cases) {
    FilterClause c = ParseOne(std::string("metrics.m = ") + text);
    EXPECT_EQ(c.value.kind, Kind::kNumber) << text;
    EXPECT_DOUBLE_EQ(c.value.number, number) << text;
    EXPECT_EQ(c.value.text, text);
  }
}

TEST(ParseFilterTest, NegativeNumberRightAfterComparator) {
  FilterClause c = ParseOne("metrics.m<-3");
  EXPECT_EQ(c.op, Comparator::kLt);
  EXPECT_DOUBLE_EQ(c.value.number, -3);
}

TEST(ParseFilterTest, AttributesTakeNumbersOrStrings) {
  EXPECT_EQ(ParseOne("start_time > 1").value.kind, Kind::kNumber);
  EXPECT_EQ(ParseOne("attr.start_time > '1'").value.kind, Kind::kString);
}

TEST(ParseFilterTest, KeywordsAreCaseInsensitive) {
  std::vector<FilterClause> c = Parse(
      "tags.a like 'x' and tags.b iLike 'y' AnD run_id Not In ('z') and tags.c Is Not Null "
      "and run_id in ('w')");
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0].op, Comparator::kLike);
  EXPECT_EQ(c[1].op, Comparator::kILike);
  EXPECT_EQ(c[2].op, Comparator::kNotIn);
  EXPECT_EQ(c[3].op, Comparator::kIsNotNull);
  EXPECT_EQ(c[4].op, Comparator::kIn);
}

TEST(ParseFilterTest, AndChainRecordsClausePositions) {
  //                                        1         2         3         4
  //                              0123456789012345678901234567890123456789012345
  std::vector<FilterClause> c = Parse("metrics.acc > 0.9 AND params.lr = '0.1' AND name = 'x'");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].position, 0u);
  EXPECT_EQ(c[1].position, 22u);
  EXPECT_EQ(c[2].position, 44u);
  EXPECT_EQ(c[1].entity, FilterEntity::kParam);
  EXPECT_EQ(c[1].value.text, "0.1");
}

TEST(ParseFilterTest, WhitespaceIsFlexible) {
  std::vector<FilterClause> c = Parse("\n\tparams.x='a'AND\tmetrics.y<=2  and  tags.`z`!=\"q\" ");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].value.text, "a");
  EXPECT_EQ(c[1].op, Comparator::kLe);
  EXPECT_EQ(c[2].key, "z");
  EXPECT_EQ(c[2].position, 37u);
}

TEST(ComparatorTextTest, NamesEveryComparator) {
  EXPECT_STREQ(ComparatorText(Comparator::kEq), "=");
  EXPECT_STREQ(ComparatorText(Comparator::kNe), "!=");
  EXPECT_STREQ(ComparatorText(Comparator::kGt), ">");
  EXPECT_STREQ(ComparatorText(Comparator::kGe), ">=");
  EXPECT_STREQ(ComparatorText(Comparator::kLt), "<");
  EXPECT_STREQ(ComparatorText(Comparator::kLe), "<=");
  EXPECT_STREQ(ComparatorText(Comparator::kLike), "LIKE");
  EXPECT_STREQ(ComparatorText(Comparator::kILike), "ILIKE");
  EXPECT_STREQ(ComparatorText(Comparator::kIn), "IN");
  EXPECT_STREQ(ComparatorText(Comparator::kNotIn), "NOT IN");
  EXPECT_STREQ(ComparatorText(Comparator::kIsNull), "IS NULL");
  EXPECT_STREQ(ComparatorText(Comparator::kIsNotNull), "IS NOT NULL");
}

// ---- rejected filters: each asserts the 0-based position ----------------------------

TEST(ParseFilterErrorTest, OrIsNotSupported) {
  EXPECT_EQ(FilterError("metrics.a > 1 OR metrics.b > 2"),
            "invalid filter at position 14: OR is not supported; combine clauses with AND");
  EXPECT_EQ(FilterError("metrics.a > 1 or metrics.b > 2"),
            "invalid filter at position 14: OR is not supported; combine clauses with AND");
}

TEST(ParseFilterErrorTest, UnknownEntity) {
  EXPECT_EQ(FilterError("params.x = 'a' AND metricz.acc > 1"),
            "invalid filter at position 19: unknown entity 'metricz' (expected metrics, params, "
            "tags, attributes or datasets)");
}

TEST(ParseFilterErrorTest, MissingComparator) {
  EXPECT_EQ(FilterError("metrics.acc abc"),
            "invalid filter at position 12: expected a comparator (=, !=, >, >=, <, <=, LIKE, "
            "ILIKE, IN, NOT IN) after 'metrics.acc' but found 'abc'");
  EXPECT_EQ(FilterError("metrics.acc"),
            "invalid filter at position 11: expected a comparator (=, !=, >, >=, <, <=, LIKE, "
            "ILIKE, IN, NOT IN) after 'metrics.acc' but found end of input");
}

TEST(ParseFilterErrorTest, MissingValue) {
  EXPECT_EQ(FilterError("metrics.acc > "),
            "invalid filter at position 14: expected a value but found end of input");
  EXPECT_EQ(FilterError("status = FINISHED"),
            "invalid filter at position 9: expected a value but found 'FINISHED'");
  EXPECT_EQ(FilterError("metrics.acc = = 1"),
            "invalid filter at position 14: expected a value but found '='");
}

TEST(ParseFilterErrorTest, UnterminatedString) {
  EXPECT_EQ(FilterError("tags.a = 'abc"),
            "invalid filter at position 9: unterminated string (missing closing ')");
  EXPECT_EQ(FilterError("tags.a = 'it\\'"),
            "invalid filter at position 9: unterminated string (missing closing ')");
  EXPECT_EQ(FilterError("metrics.`acc > 1"),
            "invalid filter at position 8: unterminated string (missing closing `)");
}

TEST(ParseFilterErrorTest, EarliestProblemIsReported) {
  EXPECT_EQ(FilterError("metrics.acc abc 'oops").substr(0, 31), "invalid filter at position 12: ");
}

TEST(ParseFilterErrorTest, EmptyKey) {
  EXPECT_EQ(FilterError("tags. = 'x'"), "invalid filter at position 5: empty key");
  EXPECT_EQ(FilterError("tags.`` = 'x'"), "invalid filter at position 5: empty key");
  EXPECT_EQ(FilterError("tags. \"a\" = 'x'"), "invalid filter at position 5: empty key");
  EXPECT_EQ(FilterError("\"\" = 'x'"), "invalid filter at position 0: empty key");
}

TEST(ParseFilterErrorTest, SingleQuotedKeyIsRejected) {
  EXPECT_EQ(FilterError("params.'x' = 'a'"),
            "invalid filter at position 7: quote keys with backticks or double quotes, not single "
            "quotes");
}

TEST(ParseFilterErrorTest, MetricNeedsNumber) {
  EXPECT_EQ(FilterError("metrics.acc = 'x'"),
            "invalid filter at position 14: metrics.acc: expected a number, found string 'x'");
  EXPECT_EQ(FilterError("metrics.acc IN ('1')"),
            "invalid filter at position 15: metrics.acc: expected a number, found a list");
}

TEST(ParseFilterErrorTest, ParamsAndTagsNeedQuotedStrings) {
  EXPECT_EQ(FilterError("params.lr = 0.1"),
            "invalid filter at position 12: expected a quoted string for params.lr but found "
            "'0.1'");
  EXPECT_EQ(FilterError("tags.n != 3"),
            "invalid filter at position 10: expected a quoted string for tags.n but found '3'");
  EXPECT_EQ(FilterError("datasets.name = 1").substr(0, 31), "invalid filter at position 16: ");
}

TEST(ParseFilterErrorTest, LikeNeedsString) {
  EXPECT_EQ(FilterError("run_name LIKE 5"),
            "invalid filter at position 14: LIKE needs a quoted string pattern but found '5'");
  EXPECT_EQ(FilterError("run_name ilike 5").substr(0, 36), "invalid filter at position 15: ILIKE");
}

TEST(ParseFilterErrorTest, InNeedsList) {
  EXPECT_EQ(FilterError("run_id IN 'a'"),
            "invalid filter at position 10: expected a list such as ('a', 'b') after IN but found "
            "'a'");
  EXPECT_EQ(FilterError("run_id = ('a')"),
            "invalid filter at position 9: a list of values is only allowed after IN or NOT IN");
}

TEST(ParseFilterErrorTest, MalformedLists) {
  EXPECT_EQ(FilterError("run_id IN ()"),
            "invalid filter at position 11: expected a quoted string in the list but found ')'");
  EXPECT_EQ(FilterError("run_id IN ('a',)"),
            "invalid filter at position 15: expected a quoted string in the list but found ')'");
  EXPECT_EQ(FilterError("run_id IN ('a' 'b')"),
            "invalid filter at position 15: expected ',' or ')' in the list but found 'b'");
  EXPECT_EQ(FilterError("run_id IN ('a'"),
            "invalid filter at position 14: expected ',' or ')' in the list but found end of "
            "input");
}

TEST(ParseFilterErrorTest, TrailingInput) {
  EXPECT_EQ(FilterError("metrics.a > 1 metrics.b > 2"),
            "invalid filter at position 14: trailing input 'metrics.b' (clauses are joined with "
            "AND)");
  EXPECT_EQ(FilterError("tags.a = 'x' 'y'").substr(0, 45),
            "invalid filter at position 13: trailing input");
}

TEST(ParseFilterErrorTest, DanglingAnd) {
  EXPECT_EQ(FilterError("metrics.a > 1 AND"),
            "invalid filter at position 17: expected an identifier but found end of input");
  EXPECT_EQ(FilterError("AND metrics.a > 1"),
            "invalid filter at position 4: expected a comparator (=, !=, >, >=, <, <=, LIKE, "
            "ILIKE, IN, NOT IN) after 'AND' but found 'metrics.a'");
}

TEST(ParseFilterErrorTest, NotWithoutIn) {
  EXPECT_EQ(FilterError("run_id NOT ('a')"),
            "invalid filter at position 11: expected IN after NOT but found '('");
}

TEST(ParseFilterErrorTest, IsWithoutNull) {
  EXPECT_EQ(FilterError("tags.a IS 'x'"),
            "invalid filter at position 10: expected NULL or NOT NULL after IS but found 'x'");
  EXPECT_EQ(FilterError("tags.a IS NOT"),
            "invalid filter at position 13: expected NULL after IS NOT but found end of input");
}

TEST(ParseFilterErrorTest, UnexpectedCharacters) {
  EXPECT_EQ(FilterError("metrics.a ! 1"),
            "invalid filter at position 10: unexpected character '!' (did you mean !=?)");
  EXPECT_EQ(FilterError("metrics.a = 1 # comment"),
            "invalid filter at position 14: unexpected character '#'");
  EXPECT_EQ(FilterError("metrics.a+b = 1"),
            "invalid filter at position 9: unexpected character '+' in key (quote the key with "
            "backticks)");
}

TEST(ParseFilterErrorTest, IdentifierMustStartWithLetter) {
  EXPECT_EQ(FilterError("1 = metrics.a"),
            "invalid filter at position 0: expected an identifier but found '1'");
  EXPECT_EQ(FilterError("'acc' = 1"),
            "invalid filter at position 0: expected an identifier but found 'acc'");
}

TEST(ParseFilterErrorTest, NumbersMustBePlainDecimals) {
  EXPECT_EQ(FilterError("metrics.a > inf"),
            "invalid filter at position 12: expected a value but found 'inf'");
  EXPECT_EQ(FilterError("metrics.a > 1.2.3"),
            "invalid filter at position 12: expected a value but found '1.2.3'");
  EXPECT_EQ(FilterError("metrics.a > 1e999"),
            "invalid filter at position 12: expected a value but found '1e999'");
}

// ---- order_by ---------------------------------------------------------------------------

TEST(ParseOrderByTest, DefaultsToAscending) {
  Result<OrderByClause> r = ParseOrderBy("metrics.acc");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->entity, FilterEntity::kMetric);
  EXPECT_EQ(r->key, "acc");
  EXPECT_TRUE(r->ascending);
}

TEST(ParseOrderByTest, DirectionIsCaseInsensitive) {
  Result<OrderByClause> desc = ParseOrderBy("  start_time desc ");
  ASSERT_TRUE(desc.ok()) << desc.status().ToString();
  EXPECT_EQ(desc->entity, FilterEntity::kAttribute);
  EXPECT_EQ(desc->key, "start_time");
  EXPECT_FALSE(desc->ascending);
  Result<OrderByClause> asc = ParseOrderBy("params.lr Asc");
  ASSERT_TRUE(asc.ok()) << asc.status().ToString();
  EXPECT_TRUE(asc->ascending);
}

TEST(ParseOrderByTest, QuotedKeys) {
  Result<OrderByClause> r = ParseOrderBy("metrics.`my acc` DESC");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->key, "my acc");
  EXPECT_FALSE(r->ascending);
  Result<OrderByClause> tag = ParseOrderBy("tags.\"mlflow.runName\"");
  ASSERT_TRUE(tag.ok()) << tag.status().ToString();
  EXPECT_EQ(tag->entity, FilterEntity::kTag);
  EXPECT_EQ(tag->key, "mlflow.runName");
}

TEST(ParseOrderByTest, Errors) {
  EXPECT_EQ(OrderByError("metrics.acc DOWN"),
            "invalid order_by 'metrics.acc DOWN': expected ASC or DESC but found 'DOWN'");
  EXPECT_EQ(OrderByError("metrics.acc DESC x"),
            "invalid order_by 'metrics.acc DESC x': trailing input 'x'");
  EXPECT_EQ(OrderByError(""), "invalid order_by '': expected an identifier but found end of input");
  EXPECT_EQ(OrderByError("metricz.acc"),
            "invalid order_by 'metricz.acc': unknown entity 'metricz' (expected metrics, params, "
            "tags, attributes or datasets)");
  EXPECT_EQ(OrderByError("tags.`x"),
            "invalid order_by 'tags.`x': unterminated string (missing "
            "closing `)");
}

}  // namespace
}  // namespace kiln::meta
