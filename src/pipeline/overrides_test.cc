#include "pipeline/overrides.h"

#include <gtest/gtest.h>

namespace kiln::pipeline {
namespace {

using Kind = OverrideValue::Kind;
using Op = Override::Op;

Override Parse(const std::string& text) {
  Result<Override> parsed = ParseOverride(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().message();
  return parsed.ok() ? *parsed : Override{};
}

std::string ParseError(const std::string& text) {
  Result<Override> parsed = ParseOverride(text);
  EXPECT_FALSE(parsed.ok()) << text;
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  return parsed.status().message();
}

std::vector<std::string> Scalars(const ParamLiteral& list) {
  std::vector<std::string> out;
  for (const ParamLiteral& item : list.items) out.push_back(item.is_list ? "<list>" : item.scalar);
  return out;
}

std::vector<std::string> Scalars(const std::vector<ParamLiteral>& items) {
  std::vector<std::string> out;
  for (const ParamLiteral& item : items) out.push_back(FormatValue(item));
  return out;
}

TEST(OverridesTest, SetValue) {
  Override o = Parse("lr=0.1");
  EXPECT_EQ(o.op, Op::kSet);
  EXPECT_EQ(o.key, "lr");
  EXPECT_TRUE(o.has_value);
  EXPECT_EQ(o.value.kind, Kind::kValue);
  EXPECT_FALSE(o.value.value.is_list);
  EXPECT_EQ(o.value.value.scalar, "0.1");
  EXPECT_FALSE(o.value.quoted);
  EXPECT_EQ(o.text, "lr=0.1");
  EXPECT_FALSE(IsSweep(o));
}

TEST(OverridesTest, Ops) {
  EXPECT_EQ(Parse("+train.new=2").op, Op::kAdd);
  EXPECT_EQ(Parse("+train.new=2").key, "train.new");
  EXPECT_EQ(Parse("++x=1").op, Op::kForceAdd);
  EXPECT_EQ(Parse("++x=1").key, "x");
  Override del = Parse("~train.eta");
  EXPECT_EQ(del.op, Op::kDelete);
  EXPECT_EQ(del.key, "train.eta");
  EXPECT_FALSE(del.has_value);
  Override del_value = Parse("~depth=3");
  EXPECT_EQ(del_value.op, Op::kDelete);
  EXPECT_TRUE(del_value.has_value);
  EXPECT_EQ(del_value.value.value.scalar, "3");
}

TEST(OverridesTest, Primitives) {
  EXPECT_EQ(Parse("a=-3").value.value.scalar, "-3");
  EXPECT_EQ(Parse("a=1e-3").value.value.scalar, "1e-3");
  EXPECT_EQ(Parse("a=true").value.value.scalar, "true");
  EXPECT_EQ(Parse("a=/data/x-1_2.csv:v@3*?$%+|~").value.value.scalar, "/data/x-1_2.csv:v@3*?$%+|~");
  EXPECT_EQ(Parse("a=x=y").value.value.scalar, "x=y");
  EXPECT_EQ(Parse("a=C:\\dir").value.value.scalar, "C:\\dir");  // lone backslash stays
}

TEST(OverridesTest, EmptyValueIsTheEmptyString) {
  Override o = Parse("name=");
  EXPECT_EQ(o.value.kind, Kind::kValue);
  EXPECT_EQ(o.value.value.scalar, "");
  EXPECT_TRUE(o.value.quoted);
}

TEST(OverridesTest, QuotedStrings) {
  Override o = Parse("name=\"a b\"");
  EXPECT_EQ(o.value.value.scalar, "a b");
  EXPECT_TRUE(o.value.quoted);
  EXPECT_EQ(Parse("n='3'").value.value.scalar, "3");
  EXPECT_TRUE(Parse("n='3'").value.quoted);
  EXPECT_EQ(Parse("n='it\\'s'").value.value.scalar, "it's");
  EXPECT_EQ(Parse("n=\"say \\\"hi\\\"\"").value.value.scalar, "say \"hi\"");
  EXPECT_EQ(Parse("n='a\\\\b'").value.value.scalar, "a\\b");
  EXPECT_EQ(Parse("n='C:\\dir'").value.value.scalar, "C:\\dir");
  EXPECT_EQ(Parse("n='x,y [z]'").value.value.scalar, "x,y [z]");
  EXPECT_EQ(Parse("n=\"it's\"").value.value.scalar, "it's");
  EXPECT_EQ(Parse("n='null'").value.value.scalar, "null");
}

TEST(OverridesTest, BareEscapes) {
  EXPECT_EQ(Parse("a=x\\,y").value.value.scalar, "x,y");
  EXPECT_EQ(Parse("a=a\\ b").value.value.scalar, "a b");
  EXPECT_EQ(Parse("a=f\\(x\\)").value.value.scalar, "f(x)");
  EXPECT_EQ(Parse("a=\\[1\\]").value.value.scalar, "[1]");
  EXPECT_EQ(Parse("a=\\null").value.value.scalar, "\\null");  // only specials are escaped
}

TEST(OverridesTest, InterpolationKeptVerbatim) {
  EXPECT_EQ(Parse("train.eta=${params.rate}").value.value.scalar, "${params.rate}");
  EXPECT_EQ(Parse("a=x_${y.z}_w").value.value.scalar, "x_${y.z}_w");
  EXPECT_EQ(Parse("a=${a,b}").value.kind, Kind::kValue);
  EXPECT_NE(ParseError("a=${x").find("column 3: unterminated '${'"), std::string::npos);
}

TEST(OverridesTest, Lists) {
  Override o = Parse("tags=[a, b, 'c d']");
  ASSERT_TRUE(o.value.value.is_list);
  EXPECT_EQ(Scalars(o.value.value), (std::vector<std::string>{"a", "b", "c d"}));
  EXPECT_TRUE(o.value.quoted);
  EXPECT_FALSE(Parse("a=[1,2]").value.quoted);
  EXPECT_TRUE(Parse("a=[]").value.value.is_list);
  EXPECT_TRUE(Parse("a=[ ]").value.value.items.empty());
  Override nested = Parse("a=[[1,2], [3], []]");
  ASSERT_EQ(nested.value.value.items.size(), 3u);
  EXPECT_EQ(Scalars(nested.value.value.items[0]), (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(nested.value.value.items[2].is_list);
  EXPECT_EQ(FormatValue(nested.value.value), "[[1,2],[3],[]]");
  EXPECT_TRUE(Parse("a=[[1,'2']]").value.quoted);  // quoted at any depth
}

TEST(OverridesTest, WhitespaceAroundTokens) {
  EXPECT_EQ(Parse("a= 1 ").value.value.scalar, "1");
  EXPECT_EQ(Parse("a=[ 1 , 2 ]").value.value.items.size(), 2u);
  Override choice = Parse("a=1, 2 ,3");
  EXPECT_EQ(Scalars(choice.value.choices), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(Parse("a=range( 1 , 3 )").value.stop, 3);
  EXPECT_EQ(Parse("a=choice( x , y )").value.choices.size(), 2u);
  EXPECT_EQ(Parse("a=range(1,3)  ").value.kind, Kind::kRange);
}

TEST(OverridesTest, SimpleChoice) {
  Override o = Parse("lr=0.01,0.1");
  EXPECT_TRUE(IsSweep(o));
  EXPECT_EQ(o.value.kind, Kind::kChoice);
  EXPECT_EQ(Scalars(o.value.choices), (std::vector<std::string>{"0.01", "0.1"}));
  Override lists = Parse("x=[1,2],[3]");
  EXPECT_EQ(Scalars(lists.value.choices), (std::vector<std::string>{"[1,2]", "[3]"}));
  Override quoted = Parse("x='3',4");
  EXPECT_EQ(quoted.value.choices_quoted, (std::vector<bool>{true, false}));
}

TEST(OverridesTest, ChoiceFunction) {
  Override o = Parse("opt=choice(adam, 'sgd m', [1,2])");
  EXPECT_EQ(o.value.kind, Kind::kChoice);
  EXPECT_EQ(Scalars(o.value.choices), (std::vector<std::string>{"adam", "'sgd m'", "[1,2]"}));
  EXPECT_EQ(o.value.choices_quoted, (std::vector<bool>{false, true, false}));
  EXPECT_EQ(Parse("a=choice(1)").value.choices.size(), 1u);
  EXPECT_NE(ParseError("a=choice()").find("column 3: choice() needs at least one item"),
            std::string::npos);
  EXPECT_NE(ParseError("a=choice(1,2),3").find("column 14: unexpected text after choice(...)"),
            std::string::npos);
  EXPECT_NE(ParseError("a=1,choice(2)").find("column 5: choice(...) must be the whole value"),
            std::string::npos);
  EXPECT_NE(ParseError("a=[range(1,2)]").find("column 4: range(...) must be the whole value"),
            std::string::npos);
  EXPECT_NE(ParseError("a=choice(1,2").find("column 9: missing ')'"), std::string::npos);
  EXPECT_NE(ParseError("a=choice(1,)").find("column 12: empty choice item"), std::string::npos);
}

TEST(OverridesTest, Range) {
  Override o = Parse("depth=range(3,9,3)");
  EXPECT_TRUE(IsSweep(o));
  EXPECT_EQ(o.value.kind, Kind::kRange);
  EXPECT_EQ(o.value.start, 3);
  EXPECT_EQ(o.value.stop, 9);
  EXPECT_EQ(o.value.step, 3);
  EXPECT_TRUE(o.value.integer);
  Override two = Parse("d=range(1,5)");
  EXPECT_EQ(two.value.step, 1);
  Override one = Parse("d=range(4)");
  EXPECT_EQ(one.value.start, 0);
  EXPECT_EQ(one.value.stop, 4);
  EXPECT_FALSE(Parse("x=range(0,1,0.25)").value.integer);
  EXPECT_FALSE(Parse("x=range(0.0,3)").value.integer);
  Override negative = Parse("d=range(5,0,-2)");
  EXPECT_EQ(negative.value.step, -2);
}

TEST(OverridesTest, RangeErrors) {
  EXPECT_NE(ParseError("d=range(1,5,0)").find("column 13: range step must not be 0"),
            std::string::npos);
  EXPECT_NE(ParseError("d=range(1, 5, 0.0)").find("column 15: range step must not be 0"),
            std::string::npos);
  EXPECT_NE(ParseError("d=range(1,2,3,4)").find("column 3: range() takes 1 to 3 numbers"),
            std::string::npos);
  EXPECT_NE(ParseError("d=range()").find("range() takes 1 to 3 numbers"), std::string::npos);
  EXPECT_NE(ParseError("d=range(a,2)").find("column 9: range: expected a number, found 'a'"),
            std::string::npos);
  EXPECT_NE(ParseError("d=range('1',2)").find("found '1'"), std::string::npos);
  EXPECT_NE(ParseError("d=range([1],2)").find("found a list"), std::string::npos);
  EXPECT_NE(ParseError("d=range(inf)").find("expected a number"), std::string::npos);
}

TEST(OverridesTest, Interval) {
  Override o = Parse("lr=interval(0.001, 0.1)");
  EXPECT_EQ(o.value.kind, Kind::kInterval);
  EXPECT_DOUBLE_EQ(o.value.low, 0.001);
  EXPECT_DOUBLE_EQ(o.value.high, 0.1);
  EXPECT_FALSE(o.value.integer);
  EXPECT_TRUE(Parse("n=interval(1,10)").value.integer);
  EXPECT_TRUE(IsSweep(o));
  EXPECT_NE(ParseError("x=interval(5,1)").find("column 3: interval low 5.0 must be below high 1.0"),
            std::string::npos);
  EXPECT_NE(ParseError("x=interval(1,1)").find("must be below"), std::string::npos);
  EXPECT_NE(ParseError("x=interval(1)").find("interval() takes 2 numbers (low, high), found 1"),
            std::string::npos);
}

TEST(OverridesTest, UnknownFunction) {
  EXPECT_EQ(ParseError("x=foo(1)"),
            "override 'x=foo(1)': column 3: unknown function 'foo' (expected choice, range or "
            "interval)");
  EXPECT_NE(ParseError("x=1,glob(*)").find("column 5: unknown function 'glob'"), std::string::npos);
}

TEST(OverridesTest, ErrorsNameOverrideAndColumn) {
  EXPECT_EQ(ParseError("lr=0.1,,2"), "override 'lr=0.1,,2': column 8: empty choice item");
  EXPECT_EQ(ParseError("=3"), "override '=3': column 1: missing key");
  EXPECT_EQ(ParseError("a.b"), "override 'a.b': missing '=' (use ~a.b to delete)");
  EXPECT_EQ(ParseError("+a"), "override '+a': missing '='");
  EXPECT_EQ(ParseError("+=1"), "override '+=1': column 2: missing key");
  EXPECT_EQ(ParseError("a..b=1"), "override 'a..b=1': column 3: empty key segment");
  EXPECT_EQ(ParseError("a.=1"), "override 'a.=1': column 3: empty key segment");
  EXPECT_EQ(ParseError("a b=1"), "override 'a b=1': column 2: unexpected ' ' in key");
  EXPECT_EQ(ParseError("+++a=1"), "override '+++a=1': column 3: unexpected '+' in key");
  EXPECT_EQ(ParseError("~~a"), "override '~~a': column 2: unexpected '~' in key");
  EXPECT_EQ(ParseError("a='x"), "override 'a='x': column 3: unterminated quote");
  EXPECT_EQ(ParseError("a=\"x\\\""), "override 'a=\"x\\\"': column 3: unterminated quote");
  EXPECT_EQ(ParseError("a=[1,2"), "override 'a=[1,2': column 3: missing ']'");
  EXPECT_EQ(ParseError("a=[1,,2]"), "override 'a=[1,,2]': column 6: empty list item");
  EXPECT_EQ(ParseError("a=[1,]"), "override 'a=[1,]': column 6: empty list item");
  EXPECT_EQ(ParseError("a=,1"), "override 'a=,1': column 3: empty choice item");
  EXPECT_EQ(ParseError("a=1,"), "override 'a=1,': column 5: empty choice item");
  EXPECT_EQ(ParseError("a={x: 1}"), "override 'a={x: 1}': column 3: dicts are not supported");
  EXPECT_EQ(ParseError("a=1)"), "override 'a=1)': column 4: unexpected ')'");
  EXPECT_EQ(ParseError("a=)"), "override 'a=)': column 3: unexpected ')'");
  EXPECT_EQ(ParseError("a=x'y'"), "override 'a=x'y'': column 4: unexpected '''");
  EXPECT_EQ(ParseError("a='x'y"), "override 'a='x'y': column 6: unexpected 'y'");
}

TEST(OverridesTest, WhitespaceInsideUnquotedValueIsAnError) {
  EXPECT_EQ(ParseError("a=b c"),
            "override 'a=b c': column 4: unexpected whitespace (quote values that contain spaces)");
  EXPECT_NE(ParseError("a=[b c]").find("column 5: unexpected whitespace"), std::string::npos);
}

TEST(OverridesTest, NullIsRejected) {
  EXPECT_NE(ParseError("a=null").find("column 3: null is not supported"), std::string::npos);
  EXPECT_NE(ParseError("a=NULL").find("null is not supported"), std::string::npos);
  EXPECT_NE(ParseError("a=[1,null]").find("column 6: null"), std::string::npos);
  EXPECT_EQ(Parse("a=nullable").value.value.scalar, "nullable");
}

TEST(OverridesTest, DeleteCannotSweep) {
  EXPECT_EQ(ParseError("~a=1,2"), "override '~a=1,2': column 4: a delete cannot sweep");
  EXPECT_NE(ParseError("~a=range(3)").find("a delete cannot sweep"), std::string::npos);
}

TEST(OverridesTest, KeyForms) {
  EXPECT_NE(ParseError("a.b.c.d=1").find("unknown key form 'a.b.c.d'"), std::string::npos);
  EXPECT_NE(ParseError("params.a.b=1").find("unknown key form 'params.a.b'"), std::string::npos);
  EXPECT_NE(ParseError("train.resources.gpus=1").find("unknown key form"), std::string::npos);
  EXPECT_EQ(Parse("steps.train.params.eta=1").key, "steps.train.params.eta");
  EXPECT_EQ(Parse("my-step.max_depth=1").key, "my-step.max_depth");
}

OverrideTarget Resolve(const std::string& key) {
  Result<OverrideTarget> target = ResolveKey(key);
  EXPECT_TRUE(target.ok()) << key << ": " << target.status().message();
  return target.ok() ? *target : OverrideTarget{};
}

TEST(OverridesTest, ResolveKey) {
  using TK = OverrideTarget::Kind;
  EXPECT_EQ(Resolve("lr").kind, TK::kPipelineParam);
  EXPECT_EQ(Resolve("lr").name, "lr");
  EXPECT_EQ(Resolve("params.lr").name, "lr");
  EXPECT_EQ(Resolve("params.lr").kind, TK::kPipelineParam);
  for (const char* key :
       {"train.eta", "train.params.eta", "steps.train.params.eta", "steps.train.eta"}) {
    OverrideTarget t = Resolve(key);
    EXPECT_EQ(t.kind, TK::kStepParam) << key;
    EXPECT_EQ(t.step, "train") << key;
    EXPECT_EQ(t.name, "eta") << key;
    EXPECT_EQ(CanonicalKey(t), "train.params.eta");
    EXPECT_EQ(TargetPath(t), "steps.train.params.eta");
  }
  for (const char* field :
       {"timeout_seconds", "retries", "resources.cpus", "resources.memory_mb"}) {
    OverrideTarget t = Resolve(std::string("train.") + field);
    EXPECT_EQ(t.kind, TK::kStepField) << field;
    EXPECT_EQ(t.name, field);
    EXPECT_EQ(Resolve(std::string("steps.train.") + field).kind, TK::kStepField);
    EXPECT_EQ(TargetPath(t), std::string("steps.train.") + field);
  }
  EXPECT_EQ(Resolve("train.params.retries").kind, TK::kStepParam);
  EXPECT_EQ(Resolve("steps.x").kind, TK::kStepParam);  // a step named "steps"
  EXPECT_EQ(Resolve("steps.x").step, "steps");
  EXPECT_EQ(CanonicalKey(Resolve("params.lr")), "lr");
  EXPECT_EQ(TargetPath(Resolve("lr")), "params.lr");
}

TEST(OverridesTest, ParseOverridesKeepsOrder) {
  Result<std::vector<Override>> all = ParseOverrides({"lr=0.1", "+x=1", "~train.eta"});
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[1].key, "x");
  EXPECT_EQ((*all)[2].op, Op::kDelete);
  EXPECT_TRUE(ParseOverrides({}).ok());
}

TEST(OverridesTest, ParseOverridesRejectsTheSameTargetTwice) {
  Result<std::vector<Override>> twice = ParseOverrides({"lr=1", "params.lr=2"});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().message(),
            "override 'params.lr=2': params.lr is already set by override 'lr=1'");
  EXPECT_FALSE(ParseOverrides({"train.eta=1", "~steps.train.params.eta"}).ok());
  EXPECT_FALSE(ParseOverrides({"a=1", "a=2"}).ok());
  EXPECT_TRUE(ParseOverrides({"train.retries=1", "train.params.retries=2"}).ok());
  Result<std::vector<Override>> bad = ParseOverrides({"a=1", "b=[1"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("override 'b=[1'"), std::string::npos);
}

TEST(OverridesTest, FormatValue) {
  ParamLiteral scalar;
  scalar.scalar = "0.1";
  EXPECT_EQ(FormatValue(scalar), "0.1");
  scalar.scalar = "a b";
  EXPECT_EQ(FormatValue(scalar), "'a b'");
  scalar.scalar = "";
  EXPECT_EQ(FormatValue(scalar), "''");
  scalar.scalar = "null";
  EXPECT_EQ(FormatValue(scalar), "'null'");
  scalar.scalar = "it's \\";
  EXPECT_EQ(FormatValue(scalar), "'it\\'s \\\\'");
  scalar.scalar = "${params.x}";
  EXPECT_EQ(FormatValue(scalar), "${params.x}");
  scalar.scalar = "a,b";
  EXPECT_EQ(FormatValue(scalar), "'a,b'");
  EXPECT_EQ(FormatValue(Parse("a=[1, 2]").value.value), "[1,2]");
  EXPECT_EQ(FormatValue(Parse("a=[]").value.value), "[]");
}

TEST(OverridesTest, FormatValueReadsBack) {
  for (const char* text : {"x", "a b", "it's", "C:\\dir\\", "f(x)", "", "null", "x=y",
                           "${params.q}", "'quoted'", "\"dq\"", "a\tb", "[1]", "a,b"}) {
    ParamLiteral literal;
    literal.scalar = text;
    const std::string formatted = FormatValue(literal);
    Override again = Parse("k=" + formatted);
    EXPECT_EQ(again.value.kind, Kind::kValue) << formatted;
    EXPECT_EQ(again.value.value.scalar, text) << formatted;
  }
  for (const char* text : {"[1,'a b',[2]]", "[]", "[[]]", "['x,y']"}) {
    Override first = Parse(std::string("k=") + text);
    const std::string formatted = FormatValue(first.value.value);
    EXPECT_EQ(formatted, text);
    EXPECT_EQ(FormatValue(Parse("k=" + formatted).value.value), formatted);
  }
}

TEST(OverridesTest, FormatOverrideValueKeepsQuotes) {
  EXPECT_EQ(FormatOverrideValue(Parse("a='3'").value), "'3'");
  EXPECT_EQ(FormatOverrideValue(Parse("a='true'").value), "'true'");
  EXPECT_EQ(FormatOverrideValue(Parse("a='abc'").value), "abc");
  EXPECT_EQ(FormatOverrideValue(Parse("a=3").value), "3");
  EXPECT_EQ(FormatOverrideValue(Parse("a=[1,'2',x]").value), "['1','2',x]");
  EXPECT_EQ(FormatOverrideValue(Parse("a=").value), "''");
}

std::vector<std::string> RangeValues(const std::string& text) {
  Override o = Parse(text);
  std::vector<std::string> values;
  for (uint64_t i = 0; i < RangeSize(o.value); ++i) values.push_back(RangeItem(o.value, i).scalar);
  return values;
}

TEST(OverridesTest, RangeValues) {
  using V = std::vector<std::string>;
  EXPECT_EQ(RangeValues("d=range(3,9,3)"), (V{"3", "6"}));
  EXPECT_EQ(RangeValues("d=range(3,10,3)"), (V{"3", "6", "9"}));
  EXPECT_EQ(RangeValues("d=range(4)"), (V{"0", "1", "2", "3"}));
  EXPECT_EQ(RangeValues("d=range(5,0,-2)"), (V{"5", "3", "1"}));
  EXPECT_EQ(RangeValues("d=range(-1,-4,-1)"), (V{"-1", "-2", "-3"}));
  EXPECT_EQ(RangeValues("d=range(5,1)"), V{});
  EXPECT_EQ(RangeValues("d=range(1,5,-1)"), V{});
  EXPECT_EQ(RangeValues("d=range(2,2)"), V{});
  EXPECT_EQ(RangeValues("x=range(0,1,0.25)"), (V{"0.0", "0.25", "0.5", "0.75"}));
  EXPECT_EQ(RangeValues("x=range(0,0.3,0.1)"), (V{"0.0", "0.1", "0.2"}));
  EXPECT_EQ(RangeValues("x=range(0,1,0.1)").size(), 10u);
  EXPECT_EQ(RangeValues("x=range(0,1,0.1)")[3], "0.3");
  EXPECT_EQ(RangeValues("x=range(1.0,3)"), (V{"1.0", "2.0"}));
  EXPECT_EQ(RangeValues("x=range(1,0,-0.5)"), (V{"1.0", "0.5"}));
}

TEST(OverridesTest, HugeRangeSizeSaturates) {
  EXPECT_EQ(RangeSize(Parse("x=range(0,1e30)").value), uint64_t{1} << 62);
  EXPECT_EQ(RangeSize(Parse("x=range(0,1000000000000)").value), uint64_t{1000000000000});
}

TEST(OverridesTest, FormatFloat) {
  EXPECT_EQ(FormatFloat(1), "1.0");
  EXPECT_EQ(FormatFloat(0.1 + 0.2), "0.3");
  EXPECT_EQ(FormatFloat(-2.5), "-2.5");
  EXPECT_EQ(FormatFloat(1e-7), "1e-07");
  EXPECT_EQ(FormatFloat(0.123456789, 6), "0.123457");
}

}  // namespace
}  // namespace kiln::pipeline
