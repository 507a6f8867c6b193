#include "pipeline/module_manifest.h"

#include <gtest/gtest.h>

namespace kiln::pipeline {
namespace {

constexpr const char* kGood = R"(name: xgboost-train
version: 1.2.0
description: Trains a model.
params:
  max_depth: {type: int, default: 6, min: 1, max: 20, help: tree depth}
  eta: {type: float, default: 0.3, min: 0}
  booster: {type: enum, values: [gbtree, dart], default: gbtree}
  columns: {type: list, items: string}
  verbose: {type: bool, default: false}
inputs:
  train: {type: table, description: training rows}
outputs:
  model: {type: model}
command: [python3, train.py, "--depth=${params.max_depth}", "${inputs.train}", "${outputs.model}"]
env: {OMP_NUM_THREADS: "1"}
)";

std::string ErrorOf(const std::string& text) {
  Result<ModuleManifest> result = ParseModuleManifest(text, "m.yaml");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  return result.status().message();
}

TEST(ModuleManifestTest, ParsesGoodManifest) {
  Result<ModuleManifest> m = ParseModuleManifest(kGood, "m.yaml");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->name, "xgboost-train");
  EXPECT_EQ(m->version, "1.2.0");
  ASSERT_EQ(m->params.size(), 5u);
  EXPECT_EQ(m->params[0].name, "max_depth");
  EXPECT_EQ(m->params[0].default_value, ParamValue{int64_t{6}});
  EXPECT_EQ(*m->params[0].max, 20);
  EXPECT_FALSE(m->params[0].required);
  EXPECT_EQ(m->params[0].mark.line, 5);
  EXPECT_EQ(m->params[2].values, (std::vector<std::string>{"gbtree", "dart"}));
  EXPECT_EQ(m->params[3].type, ParamType::kList);
  EXPECT_TRUE(m->params[3].required);
  EXPECT_EQ(m->params[4].default_value, ParamValue{false});
  EXPECT_EQ(m->FindInput("train")->type, ArtifactType::kTable);
  EXPECT_EQ(m->FindOutput("model")->type, ArtifactType::kModel);
  EXPECT_EQ(m->runner.command.size(), 5u);
  EXPECT_EQ(m->runner.env.at("OMP_NUM_THREADS"), "1");
}

TEST(ModuleManifestTest, ParsesBuiltin) {
  Result<ModuleManifest> m =
      ParseModuleManifest("name: csv\nversion: 0.1.0-rc.1\nbuiltin: csv\n", "b.yaml");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->runner.builtin, "csv");
}

// Issue 14: a module whose purpose is a side effect says so, and its steps are never cached.
TEST(ModuleManifestTest, CacheAndSideEffects) {
  const std::string base = "name: m\nversion: 1.0.0\nbuiltin: m\n";
  auto cacheable = [&](const std::string& extra) {
    Result<ModuleManifest> m = ParseModuleManifest(base + extra, "m.yaml");
    EXPECT_TRUE(m.ok()) << extra << ": " << m.status().message();
    return m.ok() && m->cacheable;
  };
  EXPECT_TRUE(cacheable(""));
  EXPECT_TRUE(cacheable("cache: true\n"));
  EXPECT_FALSE(cacheable("cache: false\n"));
  EXPECT_FALSE(cacheable("side_effects: true\n"));
  EXPECT_TRUE(cacheable("side_effects: false\n"));
  EXPECT_FALSE(cacheable("cache: false\nside_effects: true\n"));
  EXPECT_EQ(ErrorOf(base + "cache: true\nside_effects: true\n"),
            "m.yaml:5:15: side_effects: contradicts 'cache: true' (side_effects: true means "
            "cache: false)");
  EXPECT_EQ(ErrorOf(base + "cache: 0.5\n"),
            "m.yaml:4:8: cache: expected true or false, found '0.5'");
}

TEST(ModuleManifestTest, SyntaxErrorHasPosition) {
  EXPECT_EQ(ErrorOf("name: a\nversion: 1.0.0\ncommand: [x, y\n"),
            "m.yaml:4:1: YAML syntax error: end of sequence flow not found");
}

TEST(ModuleManifestTest, MissingOrBadIdentity) {
  EXPECT_EQ(ErrorOf("version: 1.0.0\nbuiltin: x\n"), "m.yaml:1:1: missing key 'name'");
  EXPECT_EQ(ErrorOf("name: a b\nversion: 1.0.0\nbuiltin: x\n"),
            "m.yaml:1:7: name: 'a b' is not a valid module name");
  EXPECT_EQ(ErrorOf("name: a\nversion: 1.2\nbuiltin: x\n"),
            "m.yaml:2:10: version: '1.2' is not a version like 1.2.0");
}

TEST(ModuleManifestTest, UnknownKeysAreNamed) {
  EXPECT_EQ(ErrorOf("name: a\nversion: 1.0.0\nbuiltin: x\nauthor: me\n"),
            "m.yaml:4:1: author: unknown key 'author'");
  EXPECT_EQ(ErrorOf("name: a\nversion: 1.0.0\nbuiltin: x\nparams:\n  n: {type: int, mni: 1}\n"),
            "m.yaml:5:18: params.n.mni: unknown key 'mni'");
}

TEST(ModuleManifestTest, DuplicateKeysAreRefused) {
  EXPECT_EQ(ErrorOf("name: a\nversion: 1.0.0\nbuiltin: x\nname: b\n"),
            "m.yaml:4:1: name: duplicate key 'name'");
}

TEST(ModuleManifestTest, ExactlyOneRunner) {
  EXPECT_EQ(ErrorOf("name: a\nversion: 1.0.0\n"),
            "m.yaml:1:1: a module needs exactly one of 'builtin' and 'command'");
  EXPECT_EQ(ErrorOf("name: a\nversion: 1.0.0\nbuiltin: x\ncommand: [y]\n"),
            "m.yaml:4:10: command: a module needs exactly one of 'builtin' and 'command'");
}

TEST(ModuleManifestTest, DefaultsMustFitTheType) {
  const std::string head = "name: a\nversion: 1.0.0\nbuiltin: x\nparams:\n";
  EXPECT_EQ(ErrorOf(head + "  n: {type: int, default: abc}\n"),
            "m.yaml:5:27: params.n.default: expected an int, found 'abc'");
  EXPECT_EQ(ErrorOf(head + "  n: {type: int, default: 30, max: 20}\n"),
            "m.yaml:5:27: params.n.default: 30 is above the maximum 20");
  EXPECT_EQ(ErrorOf(head + "  n: {type: float, default: -1, min: 0}\n"),
            "m.yaml:5:29: params.n.default: -1 is below the minimum 0");
  EXPECT_EQ(ErrorOf(head + "  b: {type: enum, values: [x, y], default: z}\n"),
            "m.yaml:5:44: params.b.default: 'z' is not one of x, y");
  EXPECT_EQ(ErrorOf(head + "  b: {type: bool, default: 1}\n"),
            "m.yaml:5:28: params.b.default: expected a bool, found '1'");
  EXPECT_EQ(ErrorOf(head + "  l: {type: list, items: int, default: [1, x]}\n"),
            "m.yaml:5:44: params.l.default[1]: expected an int, found 'x'");
}

TEST(ModuleManifestTest, BadParamShapes) {
  const std::string head = "name: a\nversion: 1.0.0\nbuiltin: x\nparams:\n";
  EXPECT_EQ(ErrorOf(head + "  n: {type: integer}\n"),
            "m.yaml:5:13: params.n.type: unknown type 'integer' (expected int, float, bool, "
            "string, enum or list)");
  EXPECT_EQ(ErrorOf(head + "  n: {default: 1}\n"), "m.yaml:5:6: params.n: missing key 'type'");
  EXPECT_EQ(ErrorOf(head + "  s: {type: string, min: 1}\n"),
            "m.yaml:5:26: params.s.min: min applies only to int and float params");
  EXPECT_EQ(ErrorOf(head + "  e: {type: enum}\n"), "m.yaml:5:6: params.e: an enum needs 'values'");
  EXPECT_EQ(ErrorOf(head + "  n: {type: int, min: 5, max: 1}\n"),
            "m.yaml:5:31: params.n.max: max is below min");
  EXPECT_EQ(ErrorOf(head + "  n: {type: int, required: true, default: 1}\n"),
            "m.yaml:5:28: params.n.required: a required param cannot have a default");
  EXPECT_EQ(ErrorOf(head + "  9n: {type: int}\n"),
            "m.yaml:5:3: params.9n: '9n' is not a valid param name");
}

TEST(ModuleManifestTest, BadPorts) {
  const std::string head = "name: a\nversion: 1.0.0\nbuiltin: x\n";
  EXPECT_EQ(ErrorOf(head + "inputs:\n  t: {type: tabel}\n"),
            "m.yaml:5:13: inputs.t.type: unknown artifact type 'tabel' (expected table, model, "
            "file, dir or plot)");
  EXPECT_EQ(ErrorOf(head + "outputs:\n  m: model\n"),
            "m.yaml:5:6: outputs.m: expected a map, found 'model'");
  EXPECT_EQ(ErrorOf(head + "inputs:\n  t: {type: table, optional: maybe}\n"),
            "m.yaml:5:30: inputs.t.optional: expected true or false, found 'maybe'");
  EXPECT_NE(ErrorOf(head + "outputs:\n  t: {type: table, optional: true}\n").find("optional"),
            std::string::npos);
}

TEST(ModuleManifestTest, OptionalInputsMayStayUnbound) {
  Result<ModuleManifest> m = ParseModuleManifest(
      "name: a\nversion: 1.0.0\nbuiltin: x\ninputs:\n  t: {type: table}\n"
      "  v: {type: table, optional: true}\n",
      "m.yaml");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_FALSE(m->inputs[0].optional);
  EXPECT_TRUE(m->inputs[1].optional);
}

TEST(ModuleManifestTest, PlaceholdersMustBeDeclared) {
  const std::string head = "name: a\nversion: 1.0.0\nparams:\n  n: {type: int, default: 1}\n";
  EXPECT_EQ(ErrorOf(head + "command: [run, \"${params.m}\"]\n"),
            "m.yaml:5:16: command[1]: '${params.m}' names no declared param");
  EXPECT_EQ(ErrorOf(head + "command: [run, \"${inputs.data}\"]\n"),
            "m.yaml:5:16: command[1]: '${inputs.data}' names no declared input");
  EXPECT_EQ(ErrorOf(head + "command: [run, \"${outputs.o}\"]\n"),
            "m.yaml:5:16: command[1]: '${outputs.o}' names no declared output");
  EXPECT_EQ(ErrorOf(head + "command: [run, \"${foo}\"]\n"),
            "m.yaml:5:16: command[1]: bad placeholder '${foo}' (expected ${params.NAME}, "
            "${inputs.NAME} or ${outputs.NAME})");
  EXPECT_EQ(ErrorOf(head + "command: [run]\nenv: {X: \"${params.q}\"}\n"),
            "m.yaml:6:10: env.X: '${params.q}' names no declared param");
}

}  // namespace
}  // namespace kiln::pipeline
