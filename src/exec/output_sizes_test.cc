#include "exec/output_sizes.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace kiln::exec {
namespace {

namespace fs = std::filesystem;

class OutputSizesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_sizes_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = fs::path(tmpl);
    auto store = artifacts::OpenLocalArtifactStore((root_ / "artifacts").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  static pipeline::StepOutput Output(const std::string& name, const std::string& digest,
                                     bool is_tree = false) {
    pipeline::StepOutput output;
    output.name = name;
    output.digest = digest;
    output.is_tree = is_tree;
    return output;
  }

  fs::path root_;
  std::unique_ptr<artifacts::ArtifactStore> store_;
};

TEST_F(OutputSizesTest, SizesStoredFilesAndLeavesOutFoldersAndMissingBlobs) {
  Result<std::string> five = store_->PutBlob("12345");
  Result<std::string> empty = store_->PutBlob("");
  Result<std::string> tree = store_->PutBlob("{}");
  ASSERT_TRUE(five.ok() && empty.ok() && tree.ok());
  const std::string missing(64, 'a');
  pipeline::PipelineRunRecord run;
  run.steps.resize(2);
  run.steps[0].outputs = {Output("data", *five), Output("none", *empty)};
  run.steps[1].outputs = {Output("dir", *tree, true), Output("gone", missing),
                          Output("again", *five)};

  const std::map<std::string, uint64_t> sizes = StoredOutputSizes(*store_, run);

  EXPECT_EQ(sizes, (std::map<std::string, uint64_t>{{*five, 5}, {*empty, 0}}));
}

TEST_F(OutputSizesTest, ARunWithoutStepsHasNoSizes) {
  EXPECT_TRUE(StoredOutputSizes(*store_, pipeline::PipelineRunRecord{}).empty());
}

TEST_F(OutputSizesTest, StepLogExistsOnlyForAFileThatIsThere) {
  const fs::path log = root_ / "step.log";
  EXPECT_FALSE(StepLogExists(""));
  EXPECT_FALSE(StepLogExists(log.string()));
  std::ofstream(log) << "line\n";
  EXPECT_TRUE(StepLogExists(log.string()));
}

}  // namespace
}  // namespace kiln::exec
