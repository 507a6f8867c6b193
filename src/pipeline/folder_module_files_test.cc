#include "pipeline/folder_module_files.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "artifacts/sha256.h"

namespace kiln::pipeline {
namespace {

namespace fs = std::filesystem;

std::string Sha256Hex(const std::string& bytes) {
  artifacts::Sha256 hasher;
  hasher.Update(bytes);
  return hasher.HexDigest();
}

class FolderModuleFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_folderfiles_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = fs::path(tmpl);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary) << text;
  }

  fs::path root_;
};

TEST_F(FolderModuleFilesTest, ListsFilesLikeAPublishedModuleAndReadsTheManifest) {
  const std::string manifest = "name: m\nversion: 1.0.0\ncommand: [sh, run.sh]\n";
  Write("module.yaml", manifest);
  Write("run.sh", "echo hi\n");
  Write("data/table.csv", "a,b\n1,2\n");
  Write(".git/HEAD", "skipped");
  ::chmod((root_ / "run.sh").c_str(), 0755);

  Result<FolderModuleFiles> folder = ReadFolderModuleFiles(root_.string());

  ASSERT_TRUE(folder.ok()) << folder.status().ToString();
  EXPECT_EQ(folder->manifest_text, manifest);
  ASSERT_EQ(folder->files.size(), 3u);
  EXPECT_EQ(folder->files[0].path, "data/table.csv");
  EXPECT_EQ(folder->files[0].size, 8);
  EXPECT_FALSE(folder->files[0].executable);
  EXPECT_EQ(folder->files[1].path, "module.yaml");
  EXPECT_EQ(folder->files[1].digest, Sha256Hex(manifest));
  EXPECT_EQ(folder->files[2].path, "run.sh");
  EXPECT_TRUE(folder->files[2].executable);
}

TEST_F(FolderModuleFilesTest, AFolderWithoutManifestHasEmptyText) {
  Write("run.sh", "echo hi\n");
  Result<FolderModuleFiles> folder = ReadFolderModuleFiles(root_.string());
  ASSERT_TRUE(folder.ok()) << folder.status().ToString();
  EXPECT_EQ(folder->manifest_text, "");
  EXPECT_EQ(folder->files.size(), 1u);
}

TEST_F(FolderModuleFilesTest, AMissingFolderIsNotFound) {
  Result<FolderModuleFiles> folder = ReadFolderModuleFiles((root_ / "nope").string());
  EXPECT_EQ(folder.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace kiln::pipeline
