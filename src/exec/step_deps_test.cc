#include "exec/step_deps.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "artifacts/artifact_store.h"
#include "artifacts/blob_tree.h"
#include "exec/step_results.h"
#include "pipeline/cache_key.h"
#include "pipeline/module_library.h"

namespace kiln::exec {
namespace {

namespace fs = std::filesystem;

// Issue 14 item 2: what a step names in its pipeline's folder is part of its cache key.
class StepDepsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_deps_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = fs::path(tmpl);
    project_ = root_ / "project";
    fs::create_directories(project_ / "lib" / "__pycache__");
    Write("clean.py", "print('clean')\n");
    Write("lib/helper.py", "X = 1\n");
    Write("lib/__pycache__/helper.pyc", "junk");
    Write("conf.txt", "fast\n");
    std::ofstream(root_ / "outside.py") << "print('outside')\n";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((project_ / rel).parent_path());
    std::ofstream(project_ / rel) << text;
  }

  static pipeline::ResolvedStep Inline(std::vector<std::string> command) {
    pipeline::ResolvedStep step;
    step.name = "clean";
    step.module_ref = "inline";
    step.command = std::move(command);
    return step;
  }

  std::string Digest(const pipeline::ResolvedStep& step) {
    Result<StepDeps> deps = StepDepsDigest(step, project_.string());
    EXPECT_TRUE(deps.ok()) << deps.status().message();
    if (!deps.ok()) return "error";
    EXPECT_EQ(deps->uncacheable, "");
    return deps->digest;
  }

  fs::path root_;
  fs::path project_;
};

TEST_F(StepDepsTest, ScriptArgumentsCountAndFollowTheirContents) {
  const pipeline::ResolvedStep step = Inline({"python3", "clean.py", "${outputs.out}"});
  const std::string before = Digest(step);
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(Digest(step), before) << "stable while nothing changes";
  EXPECT_EQ(Digest(Inline({"python3", "./clean.py", "${outputs.out}"})), before)
      << "named by its path inside the folder, however spelled";
  Write("clean.py", "print('edited')\n");
  EXPECT_NE(Digest(step), before);
  Write("clean.py", "print('clean')\n");
  EXPECT_EQ(Digest(step), before) << "contents, not timestamps";
}

TEST_F(StepDepsTest, FoldersCountFileByFileSkippingCaches) {
  const pipeline::ResolvedStep step = Inline({"python3", "clean.py", "lib"});
  const std::string before = Digest(step);
  Write("lib/__pycache__/helper.pyc", "other junk");
  EXPECT_EQ(Digest(step), before);
  Write("lib/helper.py", "X = 2\n");
  EXPECT_NE(Digest(step), before);
}

TEST_F(StepDepsTest, ArgumentsNamingNothingInsideDoNotCount) {
  fs::create_symlink(root_ / "outside.py", project_ / "link.py");
  for (auto args : std::vector<std::vector<std::string>>{
           {"sh", "-c", "cat clean.py > out"},  // shell code, not a path
           {"python3", "/usr/bin/env"},         // absolute
           {"python3", "../outside.py"},        // climbs out
           {"python3", "link.py"},              // a symbolic link out
           {"python3", "missing.py"},           // nothing
           {"ls", "."},                         // the folder itself
           {"cat", "${inputs.table}"}}) {       // a placeholder other than params
    EXPECT_EQ(Digest(Inline(args)), "") << args.back();
  }
}

TEST_F(StepDepsTest, ParamPlaceholdersAreFilledIn) {
  pipeline::ResolvedStep step = Inline({"python3", "${params.script}"});
  step.params["script"] = pipeline::ParamValue{std::string("clean.py")};
  EXPECT_EQ(Digest(step), Digest(Inline({"python3", "clean.py"})));
  EXPECT_FALSE(Digest(step).empty());
}

TEST_F(StepDepsTest, ModuleStepsCountOnlyTheirDeps) {
  pipeline::ResolvedStep step = Inline({"python3", "clean.py"});
  step.module_ref = "clean@1.0.0";  // runs in its module's folder, which its digest covers
  EXPECT_EQ(Digest(step), "");
  step.deps = {"conf.txt"};
  const std::string with_conf = Digest(step);
  EXPECT_FALSE(with_conf.empty());
  Write("conf.txt", "slow\n");
  EXPECT_NE(Digest(step), with_conf);
}

TEST_F(StepDepsTest, DepsAndArgumentsNamingTheSameFileCountOnce) {
  pipeline::ResolvedStep step = Inline({"python3", "clean.py"});
  const std::string alone = Digest(step);
  step.deps = {"clean.py"};
  EXPECT_EQ(Digest(step), alone);
  step.deps = {"lib", "lib/helper.py"};
  pipeline::ResolvedStep folder_only = Inline({"python3", "clean.py"});
  folder_only.deps = {"lib"};
  EXPECT_EQ(Digest(step), Digest(folder_only));
}

TEST_F(StepDepsTest, LargeFilesCountBySizeAndTime) {
  Write("big.bin", std::string(static_cast<size_t>(kMaxDepContentBytes) + 1, 'a'));
  const pipeline::ResolvedStep step = Inline({"cat", "big.bin"});
  const std::string before = Digest(step);
  ASSERT_FALSE(before.empty());
  fs::last_write_time(project_ / "big.bin",
                      fs::last_write_time(project_ / "big.bin") + std::chrono::seconds(5));
  EXPECT_NE(Digest(step), before);
}

TEST_F(StepDepsTest, OversizedArgumentFolderMakesTheStepUncacheable) {
  fs::create_directories(project_ / "many");
  for (size_t i = 0; i <= kMaxDepFiles; ++i) {
    std::ofstream(project_ / "many" / std::to_string(i));
  }
  Result<StepDeps> deps = StepDepsDigest(Inline({"ls", "many"}), project_.string());
  ASSERT_TRUE(deps.ok()) << deps.status().message();
  EXPECT_NE(deps->uncacheable.find("'many'"), std::string::npos) << deps->uncacheable;

  pipeline::ResolvedStep declared = Inline({"true"});
  declared.deps = {"many"};
  Result<StepDeps> refused = StepDepsDigest(declared, project_.string());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("step 'clean': deps 'many'"), std::string::npos)
      << refused.status().message();
}

TEST_F(StepDepsTest, VanishedDepsFailTheStepNamingIt) {
  pipeline::ResolvedStep step = Inline({"true"});
  step.deps = {"gone.txt"};
  Result<StepDeps> deps = StepDepsDigest(step, project_.string());
  ASSERT_FALSE(deps.ok());
  EXPECT_EQ(deps.status().message(),
            "step 'clean': deps path 'gone.txt' is no longer a file or folder inside the "
            "pipeline's folder");
}

TEST_F(StepDepsTest, PlanningRefusesDepsOutsideOrMissing) {
  auto check = [&](const std::string& dep) {
    pipeline::ResolvedPipeline pipeline;
    pipeline.spec.file = "p.yaml";
    pipeline::StepSpec step;
    step.name = "grab";
    step.deps = {"conf.txt", dep};
    step.deps_marks = {{5, 12}, {5, 22}};
    pipeline.spec.steps.push_back(step);
    return CheckStepDeps(pipeline, project_.string());
  };
  EXPECT_TRUE(check("lib").ok());
  EXPECT_TRUE(check("./lib/helper.py").ok());
  EXPECT_EQ(check("../outside.py").message(),
            "p.yaml:5:22: steps.grab.deps[1]: '../outside.py' is not inside the pipeline's "
            "folder: deps name files or folders in it, relative to it");
  EXPECT_EQ(check("/etc/hostname").code(), StatusCode::kInvalidArgument);
  fs::create_symlink(root_ / "outside.py", project_ / "link.py");
  EXPECT_NE(check("link.py").message().find("'link.py' is not inside"), std::string::npos);
  EXPECT_EQ(check("nope.txt").message(),
            "p.yaml:5:22: steps.grab.deps[1]: 'nope.txt' does not exist in the pipeline's folder");
}

// The key: the deps digest counts, and without one the key is what it always was.
TEST(StepCacheKeyTest, DepsDigestCountsAndCacheabilityDoesNot) {
  pipeline::ResolvedStep step;
  step.module_ref = "inline";
  step.command = {"python3", "clean.py"};
  const std::map<std::string, std::string> inputs = {{"table", "file:abc"}};
  const std::string plain = pipeline::StepCacheKey(step, inputs, "");
  EXPECT_NE(pipeline::StepCacheKey(step, inputs, "d1"), plain);
  EXPECT_NE(pipeline::StepCacheKey(step, inputs, "d1"), pipeline::StepCacheKey(step, inputs, "d2"));
  step.cacheable = false;
  step.deps = {"conf.txt"};  // the paths' contents count (through the digest), not their names
  EXPECT_EQ(pipeline::StepCacheKey(step, inputs, ""), plain);
  // Pinned: a step naming no files keeps the key it had before deps existed (computed by hand
  // from the length-prefixed fields), so upgrading does not throw away every cache entry.
  EXPECT_EQ(plain, "eaa209478af88a4c011aac3eb0cabef30c43df0752f482c314b0f6bb40bcd3a3");
}

// Issue 14 item 1: a cache hit whose outputs are gone is a miss.
TEST(CheckOutputsStoredTest, EveryBlobOfEveryOutputMustBeThere) {
  std::string tmpl = (fs::temp_directory_path() / "kiln_stored_XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  const fs::path root(tmpl);
  auto store = artifacts::OpenLocalArtifactStore((root / "store").string());
  ASSERT_TRUE(store.ok());
  fs::create_directories(root / "folder");
  std::ofstream(root / "folder" / "a.txt") << "alpha\n";
  std::ofstream(root / "folder" / "b.txt") << "beta\n";
  Result<std::string> tree = artifacts::PutTree(**store, (root / "folder").string());
  Result<std::string> file = (*store)->PutBlob("flat\n");
  ASSERT_TRUE(tree.ok() && file.ok());
  const std::vector<pipeline::StepOutput> outputs = {
      {"d", pipeline::ArtifactType::kDir, *tree, true},
      {"f", pipeline::ArtifactType::kFile, *file, false}};
  EXPECT_TRUE(CheckOutputsStored(**store, outputs).ok());

  const std::string alpha = artifacts::Sha256Hex("alpha\n");
  fs::remove(*(*store)->LocateBlob(alpha));
  Status missing = CheckOutputsStored(**store, outputs);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "output 'd': blob " + alpha + " is no longer stored");
  ASSERT_TRUE((*store)->PutBlob("alpha\n").ok());
  EXPECT_TRUE(CheckOutputsStored(**store, outputs).ok());

  fs::remove(*(*store)->LocateBlob(*file));
  EXPECT_EQ(CheckOutputsStored(**store, outputs).code(), StatusCode::kNotFound);
  std::error_code ec;
  fs::remove_all(root, ec);
}

}  // namespace
}  // namespace kiln::exec
