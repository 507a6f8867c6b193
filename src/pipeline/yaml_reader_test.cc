#include "pipeline/yaml_reader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "pipeline/module_manifest.h"
#include "pipeline/pipeline_spec.h"

namespace kiln::pipeline {
namespace {

// Ten levels of ten aliases each: 10^10 scalars once expanded, in under 1 KB of text.
std::string BillionLaughs() {
  std::string text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level <= 10; ++level) {
    const std::string prev = "*a" + std::to_string(level - 1);
    text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", " : "") + prev;
    text += "]\n";
  }
  return text;
}

TEST(LoadYamlTest, RefusesDocumentsWhoseAliasesExpandTooFar) {
  const auto start = std::chrono::steady_clock::now();
  Result<YAML::Node> loaded = LoadYaml(BillionLaughs(), "laughs.yaml");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(loaded.status().message(),
            "laughs.yaml:1:1: the document expands to more than 50000 nodes (counting every use "
            "of an alias); simplify it");
  // The walk stops at the limit instead of visiting 10^10 nodes.
  EXPECT_LT(took, std::chrono::seconds(2));
}

TEST(LoadYamlTest, RefusesScalarsThatExpandPastTheTextLimit) {
  // One 1 MiB scalar used 17 times: 17 MiB of text from a 1 MiB file.
  std::string text = "big: &big " + std::string(size_t{1} << 20, 'x') + "\nuses: [";
  for (int i = 0; i < 17; ++i) text += (i ? ", " : "") + std::string("*big");
  text += "]\n";
  Result<YAML::Node> loaded = LoadYaml(text, "p.yaml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(),
            "p.yaml:1:1: the document expands to more than 16 MiB of text (counting every use of "
            "an alias); simplify it");
}

TEST(LoadYamlTest, AcceptsAliasesWithinTheLimits) {
  Result<YAML::Node> loaded =
      LoadYaml("base: &b {x: 1, y: [1, 2]}\nuses: [*b, *b, *b]\n", "p.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ((*loaded)["uses"][2]["y"][1].as<int>(), 2);
}

TEST(LoadYamlTest, RefusesDeepNestingWithoutCrashing) {
  const std::string text = std::string(100000, '[') + std::string(100000, ']');
  Result<YAML::Node> loaded = LoadYaml(text, "deep.yaml");
  EXPECT_FALSE(loaded.ok());
}

TEST(LoadYamlTest, PipelinesAndManifestsBothGetTheLimit) {
  const std::string laughs = BillionLaughs();
  Result<PipelineSpec> spec = ParsePipeline("name: p\nsteps: {}\n" + laughs, "p.yaml");
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("p.yaml:1:1: the document expands"), std::string::npos);
  Result<ModuleManifest> manifest = ParseModuleManifest(laughs, "module.yaml");
  ASSERT_FALSE(manifest.ok());
  EXPECT_NE(manifest.status().message().find("module.yaml:1:1: the document expands"),
            std::string::npos);
}

}  // namespace
}  // namespace kiln::pipeline
