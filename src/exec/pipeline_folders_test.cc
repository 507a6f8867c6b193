#include "exec/pipeline_folders.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "exec/pipeline_service.h"
#include "exec/pipeline_service_fixture.h"

namespace kiln::exec {
namespace {

namespace fs = std::filesystem;

class PipelineFoldersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_folders_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = fs::path(tmpl);
    project_ = root_ / "project";
    fs::create_directories(project_ / "data");
    std::ofstream(project_ / "data" / "x.csv") << "a\n1\n";
    std::ofstream(root_ / "secret.txt") << "secret\n";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  std::string Error(const std::string& path) {
    Result<std::string> resolved = ResolveInputFile(project_.string(), path);
    EXPECT_FALSE(resolved.ok()) << path << " resolved to " << *resolved;
    if (resolved.ok()) return "";
    EXPECT_EQ(resolved.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(resolved.status().message().find(root_.string()), std::string::npos)
        << "names the server's folder: " << resolved.status().message();
    return resolved.status().message();
  }

  fs::path root_;
  fs::path project_;
};

TEST_F(PipelineFoldersTest, FilesInsideThePipelineFolderResolve) {
  for (const char* path :
       {"data/x.csv", "./data/x.csv", "data/../data/x.csv", "data", ".", "data/not-yet.csv"}) {
    Result<std::string> resolved = ResolveInputFile(project_.string(), path);
    ASSERT_TRUE(resolved.ok()) << path << ": " << resolved.status().message();
    EXPECT_EQ(fs::path(*resolved), fs::weakly_canonical(project_ / path)) << path;
  }
}

TEST_F(PipelineFoldersTest, AbsolutePathsAndEscapesAreRefused) {
  EXPECT_EQ(Error("/etc/passwd"),
            "'/etc/passwd' is an absolute path; a file input names a file or folder inside the "
            "pipeline's folder, relative to it");
  EXPECT_EQ(Error("../secret.txt"),
            "'../secret.txt' climbs out of the pipeline's folder; a file input names a file or "
            "folder inside it");
  EXPECT_NE(Error("data/../../secret.txt").find("climbs out"), std::string::npos);
  EXPECT_NE(Error(".."), "");
}

TEST_F(PipelineFoldersTest, SymbolicLinksThatLeadOutAreRefused) {
  fs::create_symlink(root_ / "secret.txt", project_ / "data" / "link.csv");
  fs::create_directory_symlink(root_, project_ / "up");
  fs::create_symlink("/etc/passwd", project_ / "passwd");
  EXPECT_EQ(Error("data/link.csv"),
            "'data/link.csv' leads out of the pipeline's folder through a symbolic link; a file "
            "input names a file or folder inside it");
  EXPECT_NE(Error("up/secret.txt").find("symbolic link"), std::string::npos);
  EXPECT_NE(Error("up").find("symbolic link"), std::string::npos);
  EXPECT_NE(Error("passwd").find("symbolic link"), std::string::npos);
  // A link that stays inside is fine.
  fs::create_symlink(project_ / "data" / "x.csv", project_ / "inside.csv");
  EXPECT_TRUE(ResolveInputFile(project_.string(), "inside.csv").ok());
}

TEST_F(PipelineFoldersTest, APipelineWithoutAFolderReadsNoFiles) {
  Result<std::string> resolved = ResolveInputFile("", "data/x.csv");
  EXPECT_EQ(resolved.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(PipelineFoldersTest, PipelineRootsContainTheirSubfolders) {
  const std::vector<std::string> roots{project_.string()};
  EXPECT_TRUE(CheckPipelineRoot(project_.string(), roots).ok());
  EXPECT_TRUE(CheckPipelineRoot((project_ / "data").string(), roots).ok());
  EXPECT_TRUE(CheckPipelineRoot((project_ / "new" / "folder").string(), roots).ok());
  Status outside = CheckPipelineRoot(root_.string(), roots);
  EXPECT_EQ(outside.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(outside.message().find("--pipeline-roots"), std::string::npos);
  EXPECT_EQ(CheckPipelineRoot("/", roots).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckPipelineRoot((project_ / ".." / "x").string(), roots).code(),
            StatusCode::kPermissionDenied);
  // "project2" is not inside "project".
  EXPECT_EQ(CheckPipelineRoot(project_.string() + "2", roots).code(),
            StatusCode::kPermissionDenied);
  fs::create_directory_symlink(root_, project_ / "up");
  EXPECT_EQ(CheckPipelineRoot((project_ / "up").string(), roots).code(),
            StatusCode::kPermissionDenied);
}

// Planning refuses such inputs for every caller, naming the step and the input.
class FileInputPlanningTest : public testing::PipelineServiceFixture {};

TEST_F(FileInputPlanningTest, PlanningNamesTheStepAndInput) {
  SubmitRequest request;
  request.spec_text =
      "name: p\nsteps:\n  read:\n    command: [cat, \"${inputs.source}\"]\n"
      "    inputs: {source: \"file:/etc/passwd\"}\n";
  request.file = "p.yaml";
  request.base_dir = (dir_ / "project").string();
  Result<Submission> submitted = pipelines_->Submit(request);
  ASSERT_FALSE(submitted.ok());
  EXPECT_EQ(submitted.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(submitted.status().message(),
            "p.yaml:5:22: steps.read.inputs.source: '/etc/passwd' is an absolute path; a file "
            "input names a file or folder inside the pipeline's folder, relative to it");
  EXPECT_EQ(pipelines_->definitions().Get("p").status().code(), StatusCode::kNotFound);
  Result<ValidatedPipeline> validated = pipelines_->Validate(request);
  EXPECT_EQ(validated.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kiln::exec
