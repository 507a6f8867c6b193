#include "pipeline/override_apply.h"

#include <gtest/gtest.h>

#include "pipeline/module_library.h"
#include "pipeline/pipeline_validate.h"

namespace kiln::pipeline {
namespace {

constexpr const char* kLoad = R"(name: load
version: 1.1.0
inputs: {source: {type: file}}
outputs: {table: {type: table}}
builtin: csv
)";

constexpr const char* kTrain = R"(name: train
version: 1.2.0
params:
  max_depth: {type: int, default: 6, min: 1, max: 20}
  eta: {type: float, min: 0, max: 1}
  booster: {type: enum, values: [gbtree, dart], default: gbtree}
  columns: {type: list, items: string, default: [a]}
  retries: {type: int, default: 0}
inputs: {train: {type: table}}
outputs: {model: {type: model}}
command: [python3, train.py, "${params.max_depth}"]
)";

constexpr const char* kPipeline = R"(name: iris
params:
  depth: {type: int, default: 3, min: 1, max: 10}
  rate: {type: float, default: 0.1}
  mode: {type: enum, values: [fast, slow], required: true}
steps:
  load:
    uses: load@1.1.0
    inputs: {source: "dataset:iris@2"}
  train:
    uses: train@1.2.0
    inputs:
      train: load.table
    params:
      max_depth: ${params.depth}
      eta: 0.3
      columns: [x, y]
    resources: {cpus: 2, memory_mb: 1024}
    timeout_seconds: 600
    retries: 2
  report:
    command: [sh, -c, "cat $1"]
    inputs: {model: train.model}
    outputs: {summary: file}
)";

class OverrideApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* text : {kLoad, kTrain}) {
      Result<ModuleManifest> m = ParseModuleManifest(text, "module.yaml");
      ASSERT_TRUE(m.ok()) << m.status().message();
      ASSERT_TRUE(library_.Add(std::move(m).value()).ok());
    }
    Reset();
  }

  void Reset() {
    Result<PipelineSpec> spec = ParsePipeline(kPipeline, "p.yaml");
    ASSERT_TRUE(spec.ok()) << spec.status().message();
    spec_ = std::move(spec).value();
  }

  Status Apply(const std::vector<std::string>& texts) {
    std::vector<Override> point;
    for (const std::string& text : texts) {
      Result<Override> o = ParseOverride(text);
      EXPECT_TRUE(o.ok()) << o.status().message();
      if (!o.ok()) return o.status();
      point.push_back(std::move(o).value());
    }
    return ApplyOverrides(point, library_, &spec_);
  }

  void ExpectApplied(const std::vector<std::string>& texts) {
    Status status = Apply(texts);
    EXPECT_TRUE(status.ok()) << status.message();
  }

  // Applies `texts`, expects a kInvalidArgument and that the spec did not change.
  std::string ApplyError(const std::vector<std::string>& texts) {
    const PipelineSpec before = spec_;
    Status status = Apply(texts);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(Summary(spec_), Summary(before)) << "spec changed on error";
    return status.message();
  }

  // A text picture of everything overrides can change.
  static std::string Summary(const PipelineSpec& spec) {
    std::string text;
    for (const ParamSpec& p : spec.params) {
      text += p.name + ":" + ParamTypeName(p.type) + "=" +
              (p.default_value ? ToString(*p.default_value) : "-") + (p.required ? "!" : "") + ";";
    }
    for (const StepSpec& s : spec.steps) {
      text += s.name + "{" + std::to_string(s.timeout_seconds) + "," + std::to_string(s.retries) +
              "," + std::to_string(s.resources.cpus) + "," + std::to_string(s.resources.memory_mb);
      for (const auto& [name, p] : s.params) {
        text += "," + name + "=" + (p.is_reference ? "$" + p.reference : FormatValue(p.literal));
      }
      text += "}";
    }
    return text;
  }

  const ParamSpec& Param(const std::string& name) {
    const ParamSpec* p = spec_.FindParam(name);
    EXPECT_NE(p, nullptr) << name;
    static const ParamSpec kNone;
    return p ? *p : kNone;
  }

  const StepSpec& Step(const std::string& name) { return *spec_.FindStep(name); }

  InMemoryModuleLibrary library_;
  PipelineSpec spec_;
};

TEST_F(OverrideApplyTest, SetPipelineParam) {
  ExpectApplied({"depth=5"});
  EXPECT_EQ(Param("depth").default_value, ParamValue{int64_t{5}});
  ExpectApplied({"params.rate=0.5"});
  EXPECT_EQ(Param("rate").default_value, ParamValue{0.5});
  ExpectApplied({"mode=slow"});
  EXPECT_EQ(Param("mode").default_value, ParamValue{std::string("slow")});
  EXPECT_FALSE(Param("mode").required);
  EXPECT_TRUE(ValidatePipeline(spec_, library_).ok());
}

TEST_F(OverrideApplyTest, SetPipelineParamErrors) {
  EXPECT_EQ(ApplyError({"depth=abc"}),
            "override 'depth=abc': params.depth: expected an int, found 'abc'");
  EXPECT_EQ(ApplyError({"depth=11"}),
            "override 'depth=11': params.depth: 11 is above the maximum 10");
  EXPECT_EQ(ApplyError({"mode=medium"}),
            "override 'mode=medium': params.mode: 'medium' is not one of fast, slow");
  EXPECT_EQ(ApplyError({"nope=1"}),
            "override 'nope=1': params.nope is not declared (params: depth, rate, mode); use "
            "+nope=... to add it");
  EXPECT_NE(ApplyError({"depth=[1,2]"}).find("expected an int, found a list"), std::string::npos);
  EXPECT_EQ(ApplyError({"rate=${params.depth}"}),
            "override 'rate=${params.depth}': params.rate: a pipeline param cannot hold a ${...} "
            "reference");
}

TEST_F(OverrideApplyTest, AddPipelineParamInfersTheType) {
  ExpectApplied({"+seed=42", "+lr=1e-3", "+flag=true", "+name=abc", "+q='3'", "+empty="});
  EXPECT_EQ(Param("seed").type, ParamType::kInt);
  EXPECT_EQ(Param("seed").default_value, ParamValue{int64_t{42}});
  EXPECT_FALSE(Param("seed").required);
  EXPECT_EQ(Param("lr").type, ParamType::kFloat);
  EXPECT_EQ(Param("lr").default_value, ParamValue{0.001});
  EXPECT_EQ(Param("flag").type, ParamType::kBool);
  EXPECT_EQ(Param("flag").default_value, ParamValue{true});
  EXPECT_EQ(Param("name").type, ParamType::kString);
  EXPECT_EQ(Param("q").type, ParamType::kString);
  EXPECT_EQ(Param("q").default_value, ParamValue{std::string("3")});
  EXPECT_EQ(Param("empty").type, ParamType::kString);
  EXPECT_EQ(Param("empty").default_value, ParamValue{std::string()});
}

TEST_F(OverrideApplyTest, AddListParamInfersTheItemType) {
  ExpectApplied({"+ids=[1,2]", "+mix=[1,2.5]", "+tags=[a,1]", "+quoted=[1,'2']", "+none=[]",
                 "+flags=[true,false]"});
  EXPECT_EQ(Param("ids").type, ParamType::kList);
  EXPECT_EQ(Param("ids").item_type, ParamType::kInt);
  const std::vector<ParamValue> ids{ParamValue{int64_t{1}}, ParamValue{int64_t{2}}};
  EXPECT_EQ(Param("ids").default_value, ParamValue{ids});
  EXPECT_EQ(Param("mix").item_type, ParamType::kFloat);
  EXPECT_EQ(Param("tags").item_type, ParamType::kString);
  EXPECT_EQ(Param("quoted").item_type, ParamType::kString);
  EXPECT_EQ(Param("none").item_type, ParamType::kString);
  EXPECT_EQ(Param("flags").item_type, ParamType::kBool);
}

TEST_F(OverrideApplyTest, AddPipelineParamErrors) {
  EXPECT_EQ(ApplyError({"+depth=3"}),
            "override '+depth=3': params.depth is already declared; use depth=... to set it");
  EXPECT_EQ(ApplyError({"+n=[[1]]"}),
            "override '+n=[[1]]': params.n: nested lists cannot be declared");
  EXPECT_NE(ApplyError({"+bad-name=1"}).find("params.bad-name: not a valid param name"),
            std::string::npos);
}

TEST_F(OverrideApplyTest, ForceAddSetsOrAdds) {
  ExpectApplied({"++depth=4", "++fresh=0.5"});
  EXPECT_EQ(Param("depth").default_value, ParamValue{int64_t{4}});
  EXPECT_EQ(Param("fresh").type, ParamType::kFloat);
  EXPECT_NE(ApplyError({"++depth=x"}).find("params.depth: expected an int, found 'x'"),
            std::string::npos);
}

TEST_F(OverrideApplyTest, DeletePipelineParam) {
  ExpectApplied({"~rate=0.1", "~mode"});
  EXPECT_EQ(spec_.FindParam("rate"), nullptr);
  EXPECT_EQ(spec_.FindParam("mode"), nullptr);
  EXPECT_EQ(ApplyError({"~nope"}), "override '~nope': params.nope is not declared (params: depth)");
  EXPECT_EQ(ApplyError({"~depth=4"}), "override '~depth=4': params.depth is 3, not 4");
  EXPECT_EQ(ApplyError({"~depth"}),
            "override '~depth': params.depth is still used by steps.train.params.max_depth");
  // Deleting and then referencing something else is fine.
  ExpectApplied({"~depth=3", "train.max_depth=7"});
  EXPECT_EQ(spec_.FindParam("depth"), nullptr);
}

TEST_F(OverrideApplyTest, DeleteWithAnotherValueFails) {
  ExpectApplied({"+m2=x"});
  EXPECT_NE(ApplyError({"~m2=y"}).find("params.m2 is x, not y"), std::string::npos);
}

TEST_F(OverrideApplyTest, SetStepParamEveryKeyForm) {
  for (const char* key :
       {"train.eta", "train.params.eta", "steps.train.params.eta", "steps.train.eta"}) {
    ExpectApplied({std::string(key) + "=0.5"});
    const StepParam& eta = Step("train").params.at("eta");
    EXPECT_FALSE(eta.is_reference);
    EXPECT_EQ(eta.literal.scalar, "0.5") << key;
    ExpectApplied({std::string(key) + "=0.25"});
    EXPECT_EQ(Step("train").params.at("eta").literal.scalar, "0.25") << key;
  }
  ExpectApplied({"train.booster=dart", "train.columns=[a, 'b c']"});
  EXPECT_EQ(Step("train").params.at("booster").literal.scalar, "dart");
  EXPECT_EQ(FormatValue(Step("train").params.at("columns").literal), "[a,'b c']");
  ExpectApplied({"train.params.retries=3"});  // a module param named like a field
  EXPECT_EQ(Step("train").params.at("retries").literal.scalar, "3");
  EXPECT_EQ(Step("train").retries, 2);
  EXPECT_TRUE(ValidatePipeline(spec_, library_).ok());
}

TEST_F(OverrideApplyTest, StepParamReferences) {
  ExpectApplied({"train.eta=${params.rate}"});
  const StepParam& eta = Step("train").params.at("eta");
  EXPECT_TRUE(eta.is_reference);
  EXPECT_EQ(eta.reference, "rate");
  // Order does not matter: the reference is checked after all overrides.
  ExpectApplied({"train.eta=${params.newrate}", "+newrate=0.2"});
  EXPECT_EQ(Step("train").params.at("eta").reference, "newrate");
  EXPECT_TRUE(ValidatePipeline(spec_, library_).ok());
  EXPECT_EQ(ApplyError({"train.eta=${params.nope}"}),
            "override 'train.eta=${params.nope}': steps.train.params.eta: ${params.nope} names no "
            "pipeline param (params: depth, rate, mode, newrate)");
  EXPECT_NE(ApplyError({"train.eta=x${params.rate}"})
                .find("steps.train.params.eta: expected a value or a whole \"${params.NAME}\""),
            std::string::npos);
}

TEST_F(OverrideApplyTest, SetStepParamErrors) {
  EXPECT_EQ(ApplyError({"train.eta=abc"}),
            "override 'train.eta=abc': steps.train.params.eta: expected a float, found 'abc'");
  EXPECT_EQ(ApplyError({"train.eta=2"}),
            "override 'train.eta=2': steps.train.params.eta: 2 is above the maximum 1");
  EXPECT_EQ(ApplyError({"train.booster=x"}),
            "override 'train.booster=x': steps.train.params.booster: 'x' is not one of gbtree, "
            "dart");
  EXPECT_EQ(ApplyError({"train.columns=a"}),
            "override 'train.columns=a': steps.train.params.columns: expected a list, found 'a'");
  EXPECT_EQ(ApplyError({"train.nope=1"}),
            "override 'train.nope=1': steps.train.params.nope: train@1.2.0 has no param 'nope' "
            "(params: max_depth, eta, booster, columns, retries)");
  EXPECT_EQ(ApplyError({"x.eta=1"}),
            "override 'x.eta=1': unknown step 'x' (steps: load, train, report)");
  EXPECT_EQ(ApplyError({"report.x=1"}),
            "override 'report.x=1': steps.report is an inline command and has no params");
  EXPECT_EQ(ApplyError({"load.x=1"}),
            "override 'load.x=1': steps.load.params.x: load@1.1.0 has no param 'x' (params: none)");
  EXPECT_NE(ApplyError({"train.max_depth=[1]"}).find("expected an int, found a list"),
            std::string::npos);
}

TEST_F(OverrideApplyTest, UnknownModule) {
  spec_.steps[1].version = "9.9.9";
  EXPECT_EQ(ApplyError({"train.eta=0.5"}),
            "override 'train.eta=0.5': steps.train: unknown module train@9.9.9");
}

TEST_F(OverrideApplyTest, AddStepParam) {
  ExpectApplied({"+train.booster=dart", "++train.eta=0.2", "++train.retries=1"});
  EXPECT_EQ(Step("train").params.at("booster").literal.scalar, "dart");
  EXPECT_EQ(Step("train").params.at("eta").literal.scalar, "0.2");
  EXPECT_EQ(Step("train").retries, 1);  // ++ on a field sets it
  EXPECT_EQ(ApplyError({"+train.eta=0.5"}),
            "override '+train.eta=0.5': steps.train.params.eta is already set in the pipeline "
            "file; use train.eta=... to override it");
  EXPECT_NE(ApplyError({"+train.nope=1"}).find("has no param 'nope'"), std::string::npos);
}

TEST_F(OverrideApplyTest, DeleteStepParam) {
  ExpectApplied({"~train.eta=0.3", "~train.max_depth=${params.depth}", "~train.columns=[x,y]"});
  EXPECT_TRUE(Step("train").params.empty());
  Reset();
  EXPECT_NE(ApplyError({"~train.eta=abc"}).find("expected a float, found 'abc'"),
            std::string::npos);
  ExpectApplied({"~steps.train.params.eta"});
  EXPECT_EQ(Step("train").params.count("eta"), 0u);
  EXPECT_EQ(
      ApplyError({"~train.booster"}),
      "override '~train.booster': steps.train.params.booster is not set in the pipeline file");
  EXPECT_EQ(ApplyError({"~train.max_depth=${params.rate}"}),
            "override '~train.max_depth=${params.rate}': steps.train.params.max_depth is "
            "${params.depth}, not ${params.rate}");
  EXPECT_EQ(
      ApplyError({"~train.max_depth=3"}),
      "override '~train.max_depth=3': steps.train.params.max_depth is ${params.depth}, not 3");
  EXPECT_EQ(ApplyError({"~train.columns=[x]"}),
            "override '~train.columns=[x]': steps.train.params.columns is [x,y], not [x]");
  EXPECT_EQ(ApplyError({"~report.x"}),
            "override '~report.x': steps.report is an inline command and has no params");
}

TEST_F(OverrideApplyTest, DeleteStepParamComparesTypedValues) {
  ExpectApplied({"~train.eta=0.30"});  // 0.30 == 0.3 as floats
  EXPECT_EQ(Step("train").params.count("eta"), 0u);
}

TEST_F(OverrideApplyTest, StepFields) {
  ExpectApplied({"train.timeout_seconds=30", "train.retries=0", "train.resources.cpus=0.5",
                 "steps.train.resources.memory_mb=2048"});
  EXPECT_EQ(Step("train").timeout_seconds, 30);
  EXPECT_EQ(Step("train").retries, 0);
  EXPECT_DOUBLE_EQ(Step("train").resources.cpus, 0.5);
  EXPECT_EQ(Step("train").resources.memory_mb, 2048);
  ExpectApplied({"report.retries=4", "report.resources.cpus=3"});  // inline steps have fields
  EXPECT_EQ(Step("report").retries, 4);
  EXPECT_DOUBLE_EQ(Step("report").resources.cpus, 3);
}

TEST_F(OverrideApplyTest, DeleteStepFieldsResetsThem) {
  ExpectApplied({"~train.retries", "~train.resources.cpus=2", "~train.timeout_seconds=600",
                 "~train.resources.memory_mb"});
  EXPECT_EQ(Step("train").retries, 0);
  EXPECT_DOUBLE_EQ(Step("train").resources.cpus, 1);
  EXPECT_EQ(Step("train").timeout_seconds, 0);
  EXPECT_EQ(Step("train").resources.memory_mb, 0);
}

TEST_F(OverrideApplyTest, StepFieldErrors) {
  EXPECT_EQ(ApplyError({"train.retries=-1"}),
            "override 'train.retries=-1': steps.train.retries: expected an int >= 0, found '-1'");
  EXPECT_EQ(ApplyError({"train.timeout_seconds=1.5"}),
            "override 'train.timeout_seconds=1.5': steps.train.timeout_seconds: expected an int "
            ">= 0, found '1.5'");
  EXPECT_EQ(ApplyError({"train.resources.cpus=0"}),
            "override 'train.resources.cpus=0': steps.train.resources.cpus: expected a number > 0, "
            "found '0'");
  EXPECT_NE(ApplyError({"train.resources.memory_mb=[1]"}).find("found a list"), std::string::npos);
  EXPECT_EQ(ApplyError({"+train.retries=1"}),
            "override '+train.retries=1': steps.train.retries always exists; use train.retries=... "
            "to set it");
  EXPECT_EQ(ApplyError({"~train.retries=5"}),
            "override '~train.retries=5': steps.train.retries is 2, not 5");
  EXPECT_EQ(ApplyError({"nope.retries=1"}),
            "override 'nope.retries=1': unknown step 'nope' (steps: load, train, report)");
}

TEST_F(OverrideApplyTest, SweepsAreRejected) {
  EXPECT_EQ(ApplyError({"depth=1,2"}),
            "override 'depth=1,2': is a sweep; expand it first (ExpandGrid or SamplePoints)");
  EXPECT_NE(ApplyError({"depth=range(3)"}).find("is a sweep"), std::string::npos);
}

TEST_F(OverrideApplyTest, SpecUnchangedWhenALaterOverrideFails) {
  const std::string before = Summary(spec_);
  EXPECT_NE(ApplyError({"depth=5", "+x=1", "train.eta=0.5", "train.retries=9", "train.eta=abc"})
                .find("override 'train.eta=abc'"),
            std::string::npos);
  EXPECT_EQ(Summary(spec_), before);
  EXPECT_EQ(Param("depth").default_value, ParamValue{int64_t{3}});
}

TEST_F(OverrideApplyTest, AppliesInOrder) {
  std::vector<Override> point;
  for (const char* text : {"depth=4", "depth=6"}) point.push_back(*ParseOverride(text));
  ASSERT_TRUE(ApplyOverrides(point, library_, &spec_).ok());
  EXPECT_EQ(Param("depth").default_value, ParamValue{int64_t{6}});
}

TEST_F(OverrideApplyTest, EmptyPointChangesNothing) {
  const std::string before = Summary(spec_);
  ExpectApplied({});
  EXPECT_EQ(Summary(spec_), before);
}

TEST(InferParamSpecTest, Types) {
  OverrideValue value;
  value.value.scalar = "7";
  Result<ParamSpec> spec = InferParamSpec("n", value);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->type, ParamType::kInt);
  EXPECT_EQ(spec->name, "n");
  EXPECT_FALSE(spec->required);
  value.quoted = true;
  EXPECT_EQ(InferParamSpec("n", value)->type, ParamType::kString);
  value.value.scalar = "abc";
  value.quoted = false;
  EXPECT_EQ(InferParamSpec("n", value)->type, ParamType::kString);
  EXPECT_FALSE(InferParamSpec("1n", value).ok());
}

}  // namespace
}  // namespace kiln::pipeline
