#include "pipeline/sweep.h"

#include <gtest/gtest.h>

#include <set>

#include "pipeline/module_library.h"
#include "pipeline/override_apply.h"

namespace kiln::pipeline {
namespace {

using Points = std::vector<std::vector<Override>>;

std::vector<Override> Overrides(const std::vector<std::string>& texts) {
  Result<std::vector<Override>> parsed = ParseOverrides(texts);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return parsed.ok() ? *parsed : std::vector<Override>{};
}

Points Grid(const std::vector<std::string>& texts, size_t max_points = 10000) {
  Result<Points> points = ExpandGrid(Overrides(texts), max_points);
  EXPECT_TRUE(points.ok()) << points.status().message();
  return points.ok() ? *points : Points{};
}

std::string GridError(const std::vector<std::string>& texts, size_t max_points = 10000) {
  Result<Points> points = ExpandGrid(Overrides(texts), max_points);
  EXPECT_FALSE(points.ok());
  if (points.ok()) return "";
  EXPECT_EQ(points.status().code(), StatusCode::kInvalidArgument);
  return points.status().message();
}

// Every point as its full text, e.g. "a=1 b=x c=5".
std::vector<std::string> Texts(const Points& points) {
  std::vector<std::string> texts;
  for (const auto& point : points) {
    std::string line;
    for (const Override& o : point) line += (line.empty() ? "" : " ") + o.text;
    texts.push_back(line);
  }
  return texts;
}

std::vector<std::string> Described(const Points& points) {
  std::vector<std::string> texts;
  for (const auto& point : points) texts.push_back(DescribePoint(point));
  return texts;
}

using Strings = std::vector<std::string>;

TEST(ExpandGridTest, CartesianProductFirstSweepSlowest) {
  Points points = Grid({"a=1,2,3", "c=5", "b=x,y"});
  ASSERT_EQ(points.size(), 6u);
  EXPECT_EQ(Texts(points), (Strings{"a=1 c=5 b=x", "a=1 c=5 b=y", "a=2 c=5 b=x", "a=2 c=5 b=y",
                                    "a=3 c=5 b=x", "a=3 c=5 b=y"}));
  EXPECT_EQ(Described(points)[1], "a=1 b=y");
  for (const auto& point : points) {
    ASSERT_EQ(point.size(), 3u);
    EXPECT_TRUE(point[0].swept);
    EXPECT_FALSE(point[1].swept);
    for (const Override& o : point) EXPECT_FALSE(IsSweep(o));
  }
}

TEST(ExpandGridTest, NoSweepsIsOnePoint) {
  Points points = Grid({"a=1", "~b"});
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(Texts(points), Strings{"a=1 ~b"});
  EXPECT_EQ(DescribePoint(points[0]), "a=1 ~b");
  EXPECT_EQ(Grid({}).size(), 1u);
}

TEST(ExpandGridTest, Ranges) {
  EXPECT_EQ(Described(Grid({"depth=range(3,9,3)"})), (Strings{"depth=3", "depth=6"}));
  EXPECT_EQ(Described(Grid({"d=range(5,0,-2)"})), (Strings{"d=5", "d=3", "d=1"}));
  EXPECT_EQ(Described(Grid({"x=range(0,1,0.25)"})),
            (Strings{"x=0.0", "x=0.25", "x=0.5", "x=0.75"}));
  EXPECT_EQ(Grid({"d=range(3)", "x=choice(a,b)"}).size(), 6u);
}

TEST(ExpandGridTest, KeepsOpsAndQuotes) {
  Points points = Grid({"+new=1,2", "++f='3',4", "name='a b','c'"});
  ASSERT_EQ(points.size(), 8u);
  EXPECT_EQ(Texts(points)[0], "+new=1 ++f='3' name='a b'");
  EXPECT_EQ(Texts(points)[3], "+new=1 ++f=4 name=c");
  EXPECT_EQ(points[0][0].op, Override::Op::kAdd);
  EXPECT_EQ(points[0][1].op, Override::Op::kForceAdd);
  EXPECT_TRUE(points[0][1].value.quoted);
  EXPECT_FALSE(points[2][1].value.quoted);
  EXPECT_EQ(DescribePoint(points[0]), "new=1 f='3' name='a b'");
}

TEST(ExpandGridTest, ListChoices) {
  Points points = Grid({"cols=[a,b],[c]"});
  ASSERT_EQ(points.size(), 2u);
  EXPECT_TRUE(points[0][0].value.value.is_list);
  EXPECT_EQ(points[1][0].text, "cols=[c]");
}

TEST(ExpandGridTest, Errors) {
  EXPECT_EQ(GridError({"lr=interval(0,1)"}),
            "override 'lr=interval(0,1)': interval(...) needs --sample N (a grid cannot enumerate "
            "it)");
  EXPECT_EQ(GridError({"d=range(5,1)"}), "override 'd=range(5,1)': range(5,1) is empty");
  EXPECT_EQ(GridError({"a=range(200)", "b=range(100)"}),
            "the sweep has 20000 points, more than the limit 10000");
  EXPECT_EQ(GridError({"a=1,2,3", "b=1,2"}, 5), "the sweep has 6 points, more than the limit 5");
  EXPECT_EQ(Grid({"a=1,2,3", "b=1,2"}, 6).size(), 6u);
  EXPECT_NE(GridError({"a=range(1e18)", "b=range(1e18)"}).find("more than the limit"),
            std::string::npos);
}

constexpr const char* kTrain = R"(name: train
version: 1.0.0
params:
  depth: {type: int, default: 3}
  rate: {type: float}
inputs: {}
outputs: {model: {type: model}}
command: [python3, train.py]
)";

constexpr const char* kPipeline = R"(name: tune
params:
  depth: {type: int, default: 3, min: 1, max: 5}
  rate: {type: float, default: 0.1, min: 0.001, max: 0.1}
  booster: {type: enum, values: [gbtree, dart, gblinear], default: gbtree}
  flag: {type: bool, default: false}
  name: {type: string, default: x}
  size: {type: int, default: 3, min: 1}
  cols: {type: list, items: int, default: [1]}
steps:
  train:
    uses: train@1.0.0
    params: {depth: "${params.depth}", rate: "${params.rate}"}
)";

class SampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<ModuleManifest> m = ParseModuleManifest(kTrain, "module.yaml");
    ASSERT_TRUE(m.ok()) << m.status().message();
    ASSERT_TRUE(library_.Add(std::move(m).value()).ok());
    Result<PipelineSpec> spec = ParsePipeline(kPipeline, "p.yaml");
    ASSERT_TRUE(spec.ok()) << spec.status().message();
    spec_ = std::move(spec).value();
  }

  Points Sample(const std::vector<std::string>& texts, size_t n, uint64_t seed = 7) {
    Result<Points> points = SamplePoints(Overrides(texts), spec_, n, seed);
    EXPECT_TRUE(points.ok()) << points.status().message();
    return points.ok() ? *points : Points{};
  }

  PipelineSpec Applied(const std::vector<Override>& point) {
    PipelineSpec spec = spec_;
    Status status = ApplyOverrides(point, library_, &spec);
    EXPECT_TRUE(status.ok()) << status.message();
    return spec;
  }

  InMemoryModuleLibrary library_;
  PipelineSpec spec_;
};

TEST_F(SampleTest, DeterministicForASeed) {
  const std::vector<std::string> texts = {"rate=interval(0.001,0.1)", "depth=1,2,3,4,5",
                                          "x=range(0,100)"};
  EXPECT_EQ(Texts(Sample(texts, 50, 1)), Texts(Sample(texts, 50, 1)));
  EXPECT_NE(Texts(Sample(texts, 50, 1)), Texts(Sample(texts, 50, 2)));
  // The first points of a longer run are those of a shorter one.
  Strings long_run = Texts(Sample(texts, 80, 1));
  long_run.resize(50);
  EXPECT_EQ(long_run, Texts(Sample(texts, 50, 1)));
}

TEST_F(SampleTest, GoldenValuesDoNotDependOnTheStandardLibrary) {
  EXPECT_EQ(Described(Sample({"a=interval(0.0,1.0)", "b=interval(1,6)", "c=x,y,z"}, 3, 42)),
            (Strings{"a=0.755156 b=3 c=y", "a=0.136273 b=6 c=z", "a=0.57457 b=1 c=y"}));
}

TEST_F(SampleTest, IntervalBounds) {
  std::set<std::string> ints;
  for (const auto& point : Sample({"n=interval(1,4)", "f=interval(-2.5,2.5)"}, 2000)) {
    ints.insert(point[0].value.value.scalar);
    double f = std::stod(point[1].value.value.scalar);
    EXPECT_GE(f, -2.5);
    EXPECT_LT(f, 2.5);
    EXPECT_TRUE(point[0].swept);
    EXPECT_EQ(point[1].text.rfind("f=", 0), 0u);
  }
  EXPECT_EQ(ints, (std::set<std::string>{"1", "2", "3", "4"}));  // inclusive ints
}

TEST_F(SampleTest, IntIntervalOnAFloatParamSamplesFloats) {
  std::set<std::string> seen;
  for (const auto& point : Sample({"rate=interval(0,1)", "other=interval(0,1)"}, 50)) {
    const std::string& rate = point[0].value.value.scalar;
    EXPECT_NE(rate.find_first_of(".e"), std::string::npos) << rate;
    seen.insert(point[1].value.value.scalar);
  }
  EXPECT_EQ(seen, (std::set<std::string>{"0", "1"}));  // no declaration: ints
  for (const auto& point : Sample({"rate=interval(0,1)"}, 1)) {
    PipelineSpec spec = spec_;
    spec.params[1].max.reset();
    ASSERT_TRUE(ApplyOverrides(point, library_, &spec).ok());
    EXPECT_TRUE(std::holds_alternative<double>(spec.FindParam("rate")->default_value->value));
  }
}

TEST_F(SampleTest, ChoicesAndRanges) {
  std::set<std::string> seen_choice;
  std::set<std::string> seen_range;
  for (const auto& point : Sample({"c=a,'b c',[1]", "r=range(10,0,-5)"}, 300)) {
    seen_choice.insert(FormatValue(point[0].value.value));
    seen_range.insert(point[1].value.value.scalar);
  }
  EXPECT_EQ(seen_choice, (std::set<std::string>{"a", "'b c'", "[1]"}));
  EXPECT_EQ(seen_range, (std::set<std::string>{"10", "5"}));
}

TEST_F(SampleTest, PlainOverridesAreCopied) {
  for (const auto& point : Sample({"name=y", "depth=2,3", "~flag"}, 10)) {
    ASSERT_EQ(point.size(), 3u);
    EXPECT_EQ(point[0].text, "name=y");
    EXPECT_FALSE(point[0].swept);
    EXPECT_EQ(point[2].op, Override::Op::kDelete);
    EXPECT_EQ(DescribePoint(point), point[1].text);
  }
}

TEST_F(SampleTest, DeclaredParamsWithoutSweeps) {
  std::set<int64_t> depths;
  std::set<std::string> boosters;
  std::set<bool> flags;
  for (const auto& point : Sample({}, 400)) {
    ASSERT_EQ(point.size(), 4u);  // depth, rate, booster, flag; not name, size or cols
    EXPECT_EQ(point[0].key, "depth");
    PipelineSpec spec = Applied(point);
    const ParamValue depth = *spec.FindParam("depth")->default_value;
    const ParamValue rate = *spec.FindParam("rate")->default_value;
    const ParamValue booster = *spec.FindParam("booster")->default_value;
    const ParamValue flag = *spec.FindParam("flag")->default_value;
    ASSERT_TRUE(std::holds_alternative<int64_t>(depth.value));
    ASSERT_TRUE(std::holds_alternative<double>(rate.value));
    ASSERT_TRUE(std::holds_alternative<std::string>(booster.value));
    ASSERT_TRUE(std::holds_alternative<bool>(flag.value));
    depths.insert(std::get<int64_t>(depth.value));
    EXPECT_GE(std::get<double>(rate.value), 0.001);
    EXPECT_LT(std::get<double>(rate.value), 0.1);
    boosters.insert(std::get<std::string>(booster.value));
    flags.insert(std::get<bool>(flag.value));
  }
  EXPECT_EQ(depths, (std::set<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(boosters, (std::set<std::string>{"gbtree", "dart", "gblinear"}));
  EXPECT_EQ(flags.size(), 2u);
}

TEST_F(SampleTest, OverriddenParamsAreNotSampled) {
  for (const auto& point : Sample({"depth=2", "params.booster=dart", "~flag"}, 5)) {
    ASSERT_EQ(point.size(), 4u);
    EXPECT_EQ(point[3].key, "rate");
    EXPECT_EQ(DescribePoint(point), point[3].text);
  }
}

TEST_F(SampleTest, Errors) {
  EXPECT_EQ(SamplePoints({}, spec_, 0, 1).status().message(),
            "the sample count must be 1..10000, found 0");
  EXPECT_FALSE(SamplePoints({}, spec_, 10001, 1).ok());
  EXPECT_TRUE(SamplePoints({}, spec_, 10000, 1).ok());
  EXPECT_EQ(SamplePoints(Overrides({"d=range(5,1)"}), spec_, 3, 1).status().message(),
            "override 'd=range(5,1)': range(5,1) is empty");
  PipelineSpec bare;
  Result<Points> nothing = SamplePoints(Overrides({"a=1"}), bare, 3, 1);
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(nothing.status().message().rfind("nothing to sample: ", 0), 0u);
  EXPECT_FALSE(
      SamplePoints(Overrides({"depth=1", "rate=1", "booster=dart", "flag=true"}), spec_, 3, 1)
          .ok());
}

TEST(DescribePointTest, Formats) {
  EXPECT_EQ(DescribePoint({}), "");
  std::vector<Override> point = Overrides({"lr=0.1", "+d=3", "~x=2", "s='a b'"});
  EXPECT_EQ(DescribePoint(point), "lr=0.1 d=3 ~x=2 s='a b'");
  point[1].swept = true;
  EXPECT_EQ(DescribePoint(point), "d=3");
  EXPECT_EQ(DescribePoint(Overrides({"a=1,2"})), "a=1,2");  // an unexpanded sweep as given
}

}  // namespace
}  // namespace kiln::pipeline
