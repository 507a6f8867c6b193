#include "http/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace kiln::http {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("kiln-static-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    root_ = base_ / "dist";
    WriteFile(root_ / "index.html", "<html></html>");
    WriteFile(root_ / "assets" / "app-1234.js", "console.log(1)");
    WriteFile(base_ / "secret.txt", "secret");
  }
  void TearDown() override { fs::remove_all(base_); }

  fs::path base_;
  fs::path root_;
};

TEST(ContentTypeTest, KnowsTheBuiltUiFileTypes) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a/b.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("x.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("x.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("x.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("x.png"), "image/png");
  EXPECT_EQ(ContentTypeFor("favicon.ico"), "image/x-icon");
  EXPECT_EQ(ContentTypeFor("x.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("x.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("x.js.map"), "application/json");
  EXPECT_EQ(ContentTypeFor("robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("LICENSE"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("x.exe"), "application/octet-stream");
}

TEST(SafePathTest, RefusesParentAndCurrentSegments) {
  EXPECT_TRUE(IsSafeRequestPath("/"));
  EXPECT_TRUE(IsSafeRequestPath("/assets/app.js"));
  EXPECT_TRUE(IsSafeRequestPath("/a..b/c...d"));
  EXPECT_FALSE(IsSafeRequestPath(""));
  EXPECT_FALSE(IsSafeRequestPath("assets/app.js"));
  EXPECT_FALSE(IsSafeRequestPath("/../etc/passwd"));
  EXPECT_FALSE(IsSafeRequestPath("/assets/../../etc/passwd"));
  EXPECT_FALSE(IsSafeRequestPath("/assets/.."));
  EXPECT_FALSE(IsSafeRequestPath("/./index.html"));
  EXPECT_FALSE(IsSafeRequestPath("/%2e%2e/etc/passwd"));  // still encoded once more
  EXPECT_FALSE(IsSafeRequestPath("/%252e%252e/etc/passwd"));
  EXPECT_FALSE(IsSafeRequestPath("/assets/..%2f..%2fetc/passwd"));
  EXPECT_FALSE(IsSafeRequestPath("/..\\etc\\passwd"));
}

TEST_F(StaticFilesTest, ResolvesFilesInsideTheFolder) {
  StaticFiles files(root_.string());
  Result<StaticFile> index = files.Resolve("/index.html");
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->path, fs::canonical(root_ / "index.html").string());
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  Result<StaticFile> js = files.Resolve("/assets/app-1234.js");
  ASSERT_TRUE(js.ok());
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, MissingFilesAndFoldersAreNotFound) {
  StaticFiles files(root_.string());
  EXPECT_EQ(files.Resolve("/").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(files.Resolve("/assets").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(files.Resolve("/assets/").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(files.Resolve("/pipelines/iris").status().code(), StatusCode::kNotFound);
}

TEST_F(StaticFilesTest, RefusesTraversal) {
  StaticFiles files(root_.string());
  EXPECT_EQ(files.Resolve("/../secret.txt").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(files.Resolve("/assets/../../secret.txt").status().code(),
            StatusCode::kInvalidArgument);
  // An absolute path inside the request path must not escape the folder either.
  EXPECT_FALSE(files.Resolve("//" + (base_ / "secret.txt").string()).ok());
  EXPECT_FALSE(files.Resolve((base_ / "secret.txt").string()).ok());
}

TEST_F(StaticFilesTest, RefusesSymlinksThatLeaveTheFolder) {
  fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
  fs::create_directory_symlink(base_, root_ / "up");
  fs::create_symlink(root_ / "index.html", root_ / "alias.html");
  StaticFiles files(root_.string());
  EXPECT_EQ(files.Resolve("/leak.txt").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(files.Resolve("/up/secret.txt").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(files.Resolve("/alias.html").ok());  // a link that stays inside is fine
}

TEST_F(StaticFilesTest, AMissingFolderServesNothing) {
  StaticFiles files((base_ / "nope").string());
  EXPECT_FALSE(files.Resolve("/index.html").ok());
}

}  // namespace
}  // namespace kiln::http
