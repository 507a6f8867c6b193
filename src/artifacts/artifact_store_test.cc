#include "artifacts/artifact_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace kiln::artifacts {
namespace {

namespace fs = std::filesystem;

class ArtifactStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_art_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    root_ = dir_ / "root";
    auto store = OpenLocalArtifactStore(root_.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::vector<std::string> ListPaths(const std::string& dir) {
    auto entries = store_->List(dir);
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    std::vector<std::string> paths;
    if (entries.ok()) {
      for (const FileEntry& e : *entries) paths.push_back(e.path + (e.is_dir ? "/" : ""));
    }
    return paths;
  }

  fs::path dir_;
  fs::path root_;
  std::unique_ptr<ArtifactStore> store_;
};

TEST(ValidateRelativePathTest, AcceptsOrdinaryPaths) {
  for (const char* p : {"", "a", "a/b/c.txt", "a/b/", "~", "~user/x", ".hidden", "a..b", "x/..y",
                        "caf\xc3\xa9/\xe2\x9c\x93"}) {
    EXPECT_TRUE(ValidateRelativePath(p).ok()) << p;
  }
}

TEST(ValidateRelativePathTest, RefusesUnsafePaths) {
  const std::vector<std::string> bad = {
      "/etc/passwd", "..",    "../x",  "a/../b", "a/../../b",
      ".",           "./a",   "a/./b", "a/.",    "a/..",
      "a//b",        "//a",   "a\\b",  "..\\x",  std::string("a\0b", 3),
      "a\nb",        "a\x7f", "/",     "a//"};
  for (const std::string& p : bad) {
    Status s = ValidateRelativePath(p);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << p;
  }
}

TEST(ValidateRelativePathTest, MessageNamesThePath) {
  EXPECT_EQ(ValidateRelativePath("../x").message(),
            "invalid artifact path '../x': '..' segments are not allowed");
  EXPECT_EQ(ValidateRelativePath(std::string("a\0b", 3)).message(),
            "invalid artifact path 'a\\x00b': control characters are not allowed");
}

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(ArtifactStoreTest, PutGetLocateRoundTrip) {
  ASSERT_TRUE(store_->Put("1/abc/artifacts/model.pkl", "pickled").ok());
  auto bytes = store_->Get("1/abc/artifacts/model.pkl");
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes, "pickled");
  auto located = store_->Locate("1/abc/artifacts/model.pkl");
  ASSERT_TRUE(located.ok()) << located.status().ToString();
  EXPECT_TRUE(fs::path(*located).is_absolute());
  std::ifstream in(*located);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "pickled");
  EXPECT_TRUE(fs::exists(root_ / "files/1/abc/artifacts/model.pkl"));
}

TEST_F(ArtifactStoreTest, BinaryAndEmptyContent) {
  std::string binary("\0\x01\xff\n\0", 5);
  ASSERT_TRUE(store_->Put("bin", binary).ok());
  ASSERT_TRUE(store_->Put("empty", "").ok());
  EXPECT_EQ(*store_->Get("bin"), binary);
  EXPECT_EQ(*store_->Get("empty"), "");
}

TEST_F(ArtifactStoreTest, OverwriteReplacesContent) {
  ASSERT_TRUE(store_->Put("a/f.txt", "first, longer").ok());
  ASSERT_TRUE(store_->Put("a/f.txt", "second").ok());
  EXPECT_EQ(*store_->Get("a/f.txt"), "second");
  EXPECT_EQ(ListPaths("a"), std::vector<std::string>{"a/f.txt"});
  EXPECT_TRUE(fs::is_empty(root_ / "tmp"));  // no temporary files left behind
}

TEST_F(ArtifactStoreTest, MissingFilesAreNotFound) {
  EXPECT_EQ(store_->Get("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Locate("nope").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->Put("d/f", "x").ok());
  EXPECT_EQ(store_->Get("d").status().code(), StatusCode::kNotFound);      // a directory
  EXPECT_EQ(store_->Locate("d").status().code(), StatusCode::kNotFound);   // a directory
  EXPECT_EQ(store_->Get("d/f/g").status().code(), StatusCode::kNotFound);  // under a file
  EXPECT_EQ(store_->Get("nope").status().message(), "artifact 'nope' not found");
}

TEST_F(ArtifactStoreTest, PutConflictsWithDirectoriesAndFiles) {
  ASSERT_TRUE(store_->Put("d/f", "x").ok());
  EXPECT_EQ(store_->Put("d", "y").code(), StatusCode::kInvalidArgument);      // onto a directory
  EXPECT_EQ(store_->Put("d/f/g", "y").code(), StatusCode::kInvalidArgument);  // under a file
  EXPECT_EQ(*store_->Get("d/f"), "x");
}

TEST_F(ArtifactStoreTest, EmptyAndDirectoryPathsRefusedForFiles) {
  EXPECT_EQ(store_->Put("", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Get("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Locate("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Delete("").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Put("a/", "x").code(), StatusCode::kInvalidArgument);
}

TEST_F(ArtifactStoreTest, ListDirectChildrenSorted) {
  ASSERT_TRUE(store_->Put("1/abc/artifacts/model/MLmodel", "m").ok());
  ASSERT_TRUE(store_->Put("1/abc/artifacts/model.pkl", "12345").ok());
  ASSERT_TRUE(store_->Put("1/abc/artifacts/a.txt", "").ok());
  EXPECT_EQ(ListPaths(""), std::vector<std::string>{"1/"});
  EXPECT_EQ(ListPaths("1/abc/artifacts"),
            (std::vector<std::string>{"1/abc/artifacts/a.txt", "1/abc/artifacts/model/",
                                      "1/abc/artifacts/model.pkl"}));
  EXPECT_EQ(ListPaths("1/abc/artifacts/"), ListPaths("1/abc/artifacts"));
  auto entries = store_->List("1/abc/artifacts");
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE((*entries)[1].is_dir);
  EXPECT_EQ((*entries)[1].size, 0);
  EXPECT_FALSE((*entries)[2].is_dir);
  EXPECT_EQ((*entries)[2].size, 5);
  EXPECT_EQ(ListPaths("1/abc/artifacts/model"),
            std::vector<std::string>{"1/abc/artifacts/model/MLmodel"});
}

TEST_F(ArtifactStoreTest, ListMissingOrFileIsEmpty) {
  EXPECT_TRUE(ListPaths("").empty());
  EXPECT_TRUE(ListPaths("no/such/dir").empty());
  ASSERT_TRUE(store_->Put("f", "x").ok());
  EXPECT_TRUE(ListPaths("f").empty());
  EXPECT_EQ(store_->List("../x").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ArtifactStoreTest, DeleteFileAndTree) {
  ASSERT_TRUE(store_->Put("t/a/1", "x").ok());
  ASSERT_TRUE(store_->Put("t/a/2", "x").ok());
  ASSERT_TRUE(store_->Put("t/b", "x").ok());
  ASSERT_TRUE(store_->Delete("t/b").ok());
  EXPECT_EQ(ListPaths("t"), std::vector<std::string>{"t/a/"});
  ASSERT_TRUE(store_->Delete("t/a").ok());
  EXPECT_TRUE(ListPaths("t").empty());
  EXPECT_EQ(store_->Delete("t/a").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Delete("../t").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(fs::is_directory(root_ / "files"));
}

TEST_F(ArtifactStoreTest, TraversalRefused) {
  const std::vector<std::string> bad = {"../x",        "a/../../b", "/abs",
                                        "/etc/passwd", "a\\b",      std::string("a\0b", 3),
                                        "a//b",        ".",         ".."};
  for (const std::string& p : bad) {
    EXPECT_EQ(store_->Put(p, "x").code(), StatusCode::kInvalidArgument) << p;
    EXPECT_EQ(store_->Get(p).status().code(), StatusCode::kInvalidArgument) << p;
    EXPECT_EQ(store_->Locate(p).status().code(), StatusCode::kInvalidArgument) << p;
    EXPECT_EQ(store_->Delete(p).code(), StatusCode::kInvalidArgument) << p;
  }
  EXPECT_FALSE(fs::exists(root_ / "x"));
  EXPECT_FALSE(fs::exists(dir_ / "x"));
}

TEST_F(ArtifactStoreTest, OverlongPathsAreInvalidArguments) {
  std::string long_name(300, 'x');
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += std::string(20, 'd') + "/";
  for (const std::string& p : {long_name, deep + "f"}) {
    EXPECT_EQ(store_->Put(p, "x").code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->Get(p).status().code(), StatusCode::kInvalidArgument);
  }
}

TEST_F(ArtifactStoreTest, SymlinkEscapeRefused) {
  fs::create_directories(dir_ / "outside");
  std::ofstream(dir_ / "outside/secret") << "secret";
  fs::create_directory_symlink(dir_ / "outside", root_ / "files/link");
  fs::create_symlink(dir_ / "outside/secret", root_ / "files/filelink");
  for (const char* p : {"link/secret", "filelink"}) {
    EXPECT_EQ(store_->Get(p).status().code(), StatusCode::kInvalidArgument) << p;
    EXPECT_EQ(store_->Locate(p).status().code(), StatusCode::kInvalidArgument) << p;
    EXPECT_EQ(store_->Delete(p).code(), StatusCode::kInvalidArgument) << p;
  }
  EXPECT_EQ(store_->Put("link/new", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->List("link").status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir_ / "outside/new"));
  EXPECT_TRUE(fs::exists(dir_ / "outside/secret"));
  EXPECT_EQ(ListPaths(""), std::vector<std::string>{});  // symlinks are not listed
}

TEST_F(ArtifactStoreTest, DanglingSymlinkParentCannotEscape) {
  fs::create_directory_symlink(dir_ / "not_yet", root_ / "files/dangling");
  EXPECT_FALSE(store_->Put("dangling/x", "x").ok());
  EXPECT_FALSE(fs::exists(dir_ / "not_yet"));
}

TEST_F(ArtifactStoreTest, BlobsAreContentAddressedAndIdempotent) {
  auto digest = store_->PutBlob("abc");
  ASSERT_TRUE(digest.ok()) << digest.status().ToString();
  EXPECT_EQ(*digest, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto again = store_->PutBlob("abc");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *digest);
  EXPECT_TRUE(fs::is_regular_file(root_ / "blobs/sha256/ba" / *digest));
  EXPECT_EQ(*store_->GetBlob(*digest), "abc");
  EXPECT_TRUE(ListPaths("").empty());  // blobs are not in the path tree
}

TEST_F(ArtifactStoreTest, BadOrMissingDigest) {
  for (const std::string& d :
       {std::string(""), std::string("abc"), std::string(63, 'a'), std::string(65, 'a'),
        std::string(64, 'g'), std::string(64, 'A'), "../" + std::string(61, 'a')}) {
    EXPECT_EQ(store_->GetBlob(d).status().code(), StatusCode::kInvalidArgument) << d;
  }
  EXPECT_EQ(store_->GetBlob(std::string(64, 'a')).status().code(), StatusCode::kNotFound);
}

TEST_F(ArtifactStoreTest, ReopenSeesData) {
  ASSERT_TRUE(store_->Put("keep/me", "x").ok());
  auto reopened = OpenLocalArtifactStore(root_.string());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*(*reopened)->Get("keep/me"), "x");
}

TEST_F(ArtifactStoreTest, OpenFailsWhenRootIsAFile) {
  std::ofstream(dir_ / "plain") << "x";
  auto store = OpenLocalArtifactStore((dir_ / "plain").string());
  EXPECT_EQ(store.status().code(), StatusCode::kInternal);
}

TEST_F(ArtifactStoreTest, ConcurrentPutsToSamePathLeaveOneWholeValue) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([this, i] {
      std::string value(10000, static_cast<char>('a' + i));
      for (int j = 0; j < 20; ++j) EXPECT_TRUE(store_->Put("shared/f", value).ok());
    });
  }
  for (std::thread& t : threads) t.join();
  auto bytes = store_->Get("shared/f");
  ASSERT_TRUE(bytes.ok());
  ASSERT_EQ(bytes->size(), 10000u);
  EXPECT_EQ(*bytes, std::string(10000, (*bytes)[0]));
}

}  // namespace
}  // namespace kiln::artifacts
