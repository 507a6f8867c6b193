#include <gtest/gtest.h>

#include "pipeline/dag_plan.h"
#include "pipeline/module_library.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/pipeline_validate.h"
#include "pipeline/resolve.h"

namespace kiln::pipeline {
namespace {

constexpr const char* kLoad = R"(name: load
version: 1.0.0
outputs: {table: {type: table}}
builtin: csv
)";

constexpr const char* kTrain = R"(name: train
version: 1.2.0
params:
  max_depth: {type: int, default: 6, min: 1, max: 20}
  eta: {type: float, min: 0, max: 1}
  booster: {type: enum, values: [gbtree, dart], default: gbtree}
inputs: {train: {type: table}}
outputs: {model: {type: model}}
command: [python3, train.py, "${params.max_depth}"]
)";

constexpr const char* kGood = R"(name: iris
params:
  depth: {type: int, default: 3}
  rate: {type: float, default: 0.1}
steps:
  load:
    uses: load@1.0.0
    inputs: {source: "dataset:iris@2"}
  train:
    uses: train@1.2.0
    inputs:
      train: load.table
    params:
      max_depth: ${params.depth}
      eta: ${params.rate}
    resources: {cpus: 2, memory_mb: 1024}
    timeout_seconds: 600
    retries: 2
  report:
    command: [sh, -c, "cat $1"]
    inputs: {model: train.model, extra: data/x.csv}
    outputs: {summary: file}
)";

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* text : {kLoad, kTrain}) {
      Result<ModuleManifest> m = ParseModuleManifest(text, "module.yaml");
      ASSERT_TRUE(m.ok()) << m.status().message();
      ASSERT_TRUE(library_.Add(std::move(m).value()).ok());
    }
    // load@1.0.0 takes an input in the pipelines below; give it one.
    Result<ModuleManifest> m = ParseModuleManifest(
        "name: load\nversion: 1.1.0\ninputs: {source: {type: file}}\n"
        "outputs: {table: {type: table}}\nbuiltin: csv\n",
        "module.yaml");
    ASSERT_TRUE(m.ok());
    ASSERT_TRUE(library_.Add(std::move(m).value()).ok());
  }

  std::string ParseError(const std::string& text) {
    Result<PipelineSpec> spec = ParsePipeline(text, "p.yaml");
    EXPECT_FALSE(spec.ok());
    return spec.status().message();
  }

  std::string ValidateError(const std::string& text) {
    Result<PipelineSpec> spec = ParsePipeline(text, "p.yaml");
    EXPECT_TRUE(spec.ok()) << spec.status().message();
    if (!spec.ok()) return "";
    Status status = ValidatePipeline(*spec, library_);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    return status.message();
  }

  InMemoryModuleLibrary library_;
};

TEST_F(PipelineTest, ParsesGoodPipeline) {
  Result<PipelineSpec> spec = ParsePipeline(kGood, "p.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  ASSERT_EQ(spec->steps.size(), 3u);
  const StepSpec& train = spec->steps[1];
  EXPECT_EQ(train.module, "train");
  EXPECT_EQ(train.version, "1.2.0");
  EXPECT_EQ(train.inputs.at("train").step, "load");
  EXPECT_TRUE(train.params.at("max_depth").is_reference);
  EXPECT_EQ(train.params.at("max_depth").reference, "depth");
  EXPECT_EQ(train.params.at("max_depth").mark.line, 14);
  EXPECT_EQ(train.resources.cpus, 2);
  EXPECT_EQ(train.resources.memory_mb, 1024);
  EXPECT_EQ(train.timeout_seconds, 600);
  EXPECT_EQ(train.retries, 2);
  const Binding& dataset = spec->steps[0].inputs.at("source");
  EXPECT_EQ(dataset.kind, Binding::Kind::kDataset);
  EXPECT_EQ(dataset.dataset, "iris");
  EXPECT_EQ(dataset.version, "2");
  EXPECT_EQ(spec->steps[2].inputs.at("extra").kind, Binding::Kind::kFile);
  EXPECT_TRUE(spec->steps[2].is_inline());
}

// Issue 14: `cache: false` on a step or in its module's manifest keeps it out of the cache;
// `deps:` lists more files for the key.
TEST_F(PipelineTest, CacheAndDepsSettingsResolve) {
  Result<ModuleManifest> side = ParseModuleManifest(
      "name: publish\nversion: 1.0.0\nside_effects: true\nbuiltin: publish\n", "module.yaml");
  ASSERT_TRUE(side.ok()) << side.status().message();
  ASSERT_TRUE(library_.Add(std::move(side).value()).ok());
  Result<PipelineSpec> spec = ParsePipeline(R"(name: c
steps:
  a:
    command: [sh, -c, "true"]
    deps: [conf, "lib/x.py"]
  b:
    command: [sh, -c, "true"]
    cache: false
  c:
    uses: publish@1.0.0
  d:
    uses: publish@1.0.0
    cache: true
  e:
    uses: load@1.0.0
)",
                                            "p.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->steps[0].deps, (std::vector<std::string>{"conf", "lib/x.py"}));
  ASSERT_EQ(spec->steps[0].deps_marks.size(), 2u);
  EXPECT_EQ(spec->steps[0].deps_marks[1].line, 5);
  EXPECT_TRUE(spec->steps[0].cache);
  EXPECT_FALSE(spec->steps[1].cache);
  Result<ResolvedPipeline> resolved = ResolvePipeline(std::move(spec).value(), library_);
  ASSERT_TRUE(resolved.ok()) << resolved.status().message();
  EXPECT_TRUE(resolved->steps[0].cacheable);
  EXPECT_EQ(resolved->steps[0].deps, (std::vector<std::string>{"conf", "lib/x.py"}));
  EXPECT_FALSE(resolved->steps[1].cacheable);
  EXPECT_FALSE(resolved->steps[2].cacheable);
  EXPECT_FALSE(resolved->steps[3].cacheable) << "a step cannot cache a side-effect module";
  EXPECT_TRUE(resolved->steps[4].cacheable);
}

TEST_F(PipelineTest, CacheAndDepsErrorsArePrecise) {
  EXPECT_EQ(ParseError("name: c\nsteps:\n  a:\n    command: [x]\n    cache: maybe\n"),
            "p.yaml:5:12: steps.a.cache: expected true or false, found 'maybe'");
  EXPECT_EQ(ParseError("name: c\nsteps:\n  a:\n    command: [x]\n    deps: [ok, \"\"]\n"),
            "p.yaml:5:16: steps.a.deps[1]: is empty");
  EXPECT_NE(ParseError("name: c\nsteps:\n  a:\n    command: [x]\n    deps: {a: b}\n")
                .find("steps.a.deps"),
            std::string::npos);
}

TEST_F(PipelineTest, GoodPipelineValidates) {
  std::string text = kGood;
  text.replace(text.find("load@1.0.0"), 10, "load@1.1.0");
  Result<PipelineSpec> spec = ParsePipeline(text, "p.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  Status status = ValidatePipeline(*spec, library_);
  EXPECT_TRUE(status.ok()) << status.message();
}

TEST_F(PipelineTest, ParseErrors) {
  EXPECT_EQ(ParseError("name: p\nsteps:\n  a: {uses: [x\n"),
            "p.yaml:4:1: YAML syntax error: end of sequence flow not found");
  EXPECT_EQ(ParseError("name: p\nstep: {}\n"), "p.yaml:2:1: step: unknown key 'step'");
  EXPECT_EQ(ParseError("name: p\nsteps:\n  a: {uses: load@1.0.0, retry: 1}\n"),
            "p.yaml:3:25: steps.a.retry: unknown key 'retry'");
  EXPECT_EQ(ParseError("name: p\nsteps:\n  a: {uses: load}\n"),
            "p.yaml:3:13: steps.a.uses: expected MODULE@VERSION (e.g. xgboost-train@1.2.0), "
            "found 'load'");
  EXPECT_EQ(ParseError("name: p\nsteps:\n  a: {uses: load@1.0.0, timeout_seconds: soon}\n"),
            "p.yaml:3:42: steps.a.timeout_seconds: expected an int, found 'soon'");
  EXPECT_EQ(ParseError("name: p\nsteps:\n  a: {uses: load@1.0.0, inputs: {x: nowhere}}\n"),
            "p.yaml:3:37: steps.a.inputs.x: expected STEP.OUTPUT, dataset:NAME@VERSION or "
            "file:PATH, found 'nowhere'");
  EXPECT_EQ(ParseError("name: p\nsteps:\n  a: {uses: load@1.0.0, params: {x: \"a${params.y}\"}}\n"),
            "p.yaml:3:37: steps.a.params.x: expected a value or a whole \"${params.NAME}\" "
            "reference, found 'a${params.y}'");
  EXPECT_EQ(ParseError("name: p\nsteps:\n  a: {description: x}\n"),
            "p.yaml:3:6: steps.a: a step needs exactly one of 'uses' and 'command'");
}

TEST_F(PipelineTest, MoreParseErrors) {
  EXPECT_EQ(ParseError(""), "p.yaml:1:1: the file is empty");
  EXPECT_EQ(ParseError("steps: {}\n"), "p.yaml:1:1: missing key 'name'");
  EXPECT_EQ(ParseError("name: p\nsteps:\n  a: {uses: load@1.0.0, retries: -1}\n"),
            "p.yaml:3:34: steps.a.retries: must be >= 0, found -1");
  EXPECT_EQ(ParseError("name: p\nsteps:\n  a: {uses: load@1.0.0, resources: {gpus: 1}}\n"),
            "p.yaml:3:37: steps.a.resources.gpus: unknown key 'gpus'");
  EXPECT_EQ(ParseError("name: p\nsteps:\n  a: {uses: load@1.0.0, inputs: {x: \"dataset:iris\"}}\n"),
            "p.yaml:3:37: steps.a.inputs.x: expected dataset:NAME@VERSION, found 'dataset:iris'");
  EXPECT_EQ(ParseError("name: p\nsteps:\n  a: {uses: load@1.0.0, env: {A: b}}\n"),
            "p.yaml:3:30: steps.a.env: only an inline command step declares 'env'");
  EXPECT_EQ(ParseError("name: p\nparams:\n  n: {type: int, default: x}\nsteps: {}\n"),
            "p.yaml:3:27: params.n.default: expected an int, found 'x'");
}

TEST_F(PipelineTest, InlineStepReferencesAreChecked) {
  EXPECT_EQ(ValidateError("name: p\nsteps:\n  a: {command: [x], params: {n: \"${params.q}\"}}\n"),
            "p.yaml:3:33: steps.a.params.n: '${params.q}' names no pipeline param");
}

TEST_F(PipelineTest, InlinePlaceholderErrorsPointAtTheArgument) {
  auto resolve_error = [&](const std::string& text) -> std::string {
    Result<PipelineSpec> spec = ParsePipeline(text, "p.yaml");
    EXPECT_TRUE(spec.ok()) << spec.status().message();
    if (!spec.ok()) return "";
    Result<ResolvedPipeline> resolved = ResolvePipeline(std::move(spec).value(), library_);
    EXPECT_EQ(resolved.status().code(), StatusCode::kInvalidArgument);
    return resolved.status().message();
  };
  EXPECT_EQ(resolve_error("name: p\nsteps:\n  a:\n    outputs: {out: file}\n"
                          "    command: [sh, -c, \"echo ${outputs.nope}\"]\n"),
            "p.yaml:5:23: steps.a.command[2]: '${outputs.nope}' names no output of step 'a'");
  EXPECT_EQ(resolve_error("name: p\nsteps:\n  a:\n    command:\n      - sh\n"
                          "      - ${foo}\n"),
            "p.yaml:6:9: steps.a.command[1]: bad placeholder '${foo}' (expected ${params.NAME}, "
            "${inputs.NAME} or ${outputs.NAME})");
  EXPECT_EQ(resolve_error("name: p\nsteps:\n  a:\n    command: [env]\n"
                          "    env: {A: ok, B: \"${inputs.x}\"}\n"),
            "p.yaml:5:21: steps.a.env.B: '${inputs.x}' names no input of step 'a'");
}

TEST_F(PipelineTest, DuplicateStepNamesNameBothLines) {
  EXPECT_EQ(ParseError("name: p\nsteps:\n  a: {uses: load@1.0.0}\n  b: {uses: load@1.0.0}\n"
                       "  a: {uses: load@1.0.0}\n"),
            "p.yaml:5:3: steps.a: duplicate step name 'a' (first defined at line 3)");
}

TEST_F(PipelineTest, UnknownModuleOrVersion) {
  EXPECT_EQ(ValidateError("name: p\nsteps:\n  a: {uses: nope@1.0.0}\n"),
            "p.yaml:3:13: steps.a.uses: unknown module 'nope'");
  EXPECT_EQ(ValidateError("name: p\nsteps:\n  a: {uses: load@9.0.0}\n"),
            "p.yaml:3:13: steps.a.uses: unknown version '9.0.0' of module 'load'");
}

// A pipeline whose step b uses train@1.2.0 with the given params.
std::string TrainWith(const std::string& params) {
  return "name: p\nparams:\n  d: {type: int, default: 30}\n  s: {type: string, default: x}\n"
         "steps:\n  a: {uses: load@1.0.0}\n  b:\n    uses: train@1.2.0\n    inputs: {train: "
         "a.table}\n    params: {" +
         params + "}\n";
}

TEST_F(PipelineTest, ParamErrors) {
  EXPECT_EQ(ValidateError(TrainWith("eta: 0.1, depth: 3")),
            "p.yaml:10:31: steps.b.params.depth: unknown param 'depth' of train@1.2.0");
  EXPECT_EQ(ValidateError(TrainWith("eta: 0.1, max_depth: abc")),
            "p.yaml:10:35: steps.b.params.max_depth: expected an int, found 'abc'");
  EXPECT_EQ(ValidateError(TrainWith("eta: 0.1, max_depth: 21")),
            "p.yaml:10:35: steps.b.params.max_depth: 21 is above the maximum 20");
  EXPECT_EQ(ValidateError(TrainWith("eta: 0.1, booster: linear")),
            "p.yaml:10:33: steps.b.params.booster: 'linear' is not one of gbtree, dart");
  EXPECT_EQ(ValidateError(TrainWith("max_depth: 3")),
            "p.yaml:7:3: steps.b.params: missing required param 'eta' of train@1.2.0");
}

TEST_F(PipelineTest, ParamReferenceErrors) {
  EXPECT_EQ(ValidateError(TrainWith("eta: 0.1, max_depth: \"${params.zz}\"")),
            "p.yaml:10:35: steps.b.params.max_depth: '${params.zz}' names no pipeline param");
  EXPECT_EQ(ValidateError(TrainWith("eta: 0.1, max_depth: \"${params.s}\"")),
            "p.yaml:10:35: steps.b.params.max_depth: pipeline param 's' is a string, but "
            "train@1.2.0 expects an int");
  EXPECT_EQ(ValidateError(TrainWith("eta: 0.1, max_depth: \"${params.d}\"")),
            "p.yaml:10:35: steps.b.params.max_depth: default of pipeline param 'd': 30 is above "
            "the maximum 20");
}

TEST_F(PipelineTest, InputErrors) {
  const std::string head = "name: p\nsteps:\n  a: {uses: load@1.0.0}\n";
  const std::string train = "  b: {uses: train@1.2.0, params: {eta: 0.5}, inputs: {";
  EXPECT_EQ(ValidateError(head + train + "train: zz.table}}\n"),
            "p.yaml:4:62: steps.b.inputs.train: unknown step 'zz'");
  EXPECT_EQ(ValidateError(head + train + "train: a.tbl}}\n"),
            "p.yaml:4:62: steps.b.inputs.train: step 'a' has no output 'tbl'");
  EXPECT_EQ(ValidateError(head + train + "train: a.table, test: a.table}}\n"),
            "p.yaml:4:77: steps.b.inputs.test: unknown input 'test' of train@1.2.0");
  EXPECT_EQ(ValidateError(head + train + "}}\n"),
            "p.yaml:4:3: steps.b.inputs: missing input 'train' of train@1.2.0");
  EXPECT_EQ(
      ValidateError(head + "  c: {command: [x], outputs: {m: model}}\n" + train + "train: c.m}}\n"),
      "p.yaml:5:62: steps.b.inputs.train: 'c.m' is a model, but input 'train' expects a "
      "table");
}

TEST_F(PipelineTest, CycleIsNamedInOrder) {
  EXPECT_EQ(ValidateError("name: p\nsteps:\n"
                          "  x: {command: [x], outputs: {o: file}}\n"
                          "  a: {command: [a], inputs: {i: c.o, j: x.o}, outputs: {o: file}}\n"
                          "  b: {command: [b], inputs: {i: a.o}, outputs: {o: file}}\n"
                          "  c: {command: [c], inputs: {i: b.o}, outputs: {o: file}}\n"),
            "p.yaml:4:3: steps.a: cycle: a -> b -> c -> a");
}

}  // namespace
}  // namespace kiln::pipeline
