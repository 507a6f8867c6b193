#include "artifacts/blob_tree.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "artifacts/sha256.h"

namespace kiln::artifacts {
namespace {

namespace fs = std::filesystem;

class BlobTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_tree_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = OpenLocalArtifactStore((dir_ / "root").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void Write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }

  fs::path dir_;
  std::unique_ptr<ArtifactStore> store_;
};

TEST_F(BlobTreeTest, Sha256MatchesKnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 hasher;
  hasher.Update("a");
  hasher.Update("bc");
  EXPECT_EQ(hasher.HexDigest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Write(dir_ / "abc.txt", "abc");
  EXPECT_EQ(*Sha256OfFile((dir_ / "abc.txt").string()), Sha256Hex("abc"));
  EXPECT_EQ(Sha256OfFile((dir_ / "missing").string()).status().code(), StatusCode::kNotFound);
}

TEST_F(BlobTreeTest, PutBlobFileStoresByContent) {
  Write(dir_ / "a.txt", "hello");
  auto digest = store_->PutBlobFile((dir_ / "a.txt").string());
  ASSERT_TRUE(digest.ok()) << digest.status().ToString();
  EXPECT_EQ(*digest, Sha256Hex("hello"));
  EXPECT_EQ(*store_->GetBlob(*digest), "hello");
  auto located = store_->LocateBlob(*digest);
  ASSERT_TRUE(located.ok());
  EXPECT_TRUE(fs::is_regular_file(*located));
  EXPECT_EQ(store_->LocateBlob(std::string(64, 'a')).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->LocateBlob("nope").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->PutBlobFile((dir_ / "none").string()).status().code(), StatusCode::kNotFound);
}

TEST_F(BlobTreeTest, TreeDigestDependsOnContentAndPathsOnly) {
  Write(dir_ / "t1/a.txt", "A");
  Write(dir_ / "t1/sub/b.txt", "B");
  Write(dir_ / "t2/sub/b.txt", "B");
  Write(dir_ / "t2/a.txt", "A");
  auto d1 = PutTree(*store_, (dir_ / "t1").string());
  auto d2 = PutTree(*store_, (dir_ / "t2").string());
  ASSERT_TRUE(d1.ok()) << d1.status().ToString();
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(*d1, *d2);
  Write(dir_ / "t2/a.txt", "A2");
  EXPECT_NE(*PutTree(*store_, (dir_ / "t2").string()), *d1);
  auto entries = ReadTree(*store_, *d1);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].path, "a.txt");
  EXPECT_EQ((*entries)[1].path, "sub/b.txt");
  EXPECT_EQ(ReadTree(*store_, Sha256Hex("x")).status().code(), StatusCode::kNotFound);
}

TEST_F(BlobTreeTest, TreeOfUploadedBlobsEqualsPutTree) {
  Write(dir_ / "t/a.txt", "A");
  Write(dir_ / "t/sub/b.txt", "BB");
  auto whole = PutTree(*store_, (dir_ / "t").string());
  ASSERT_TRUE(whole.ok());
  const std::string a = *store_->PutBlob("A"), b = *store_->PutBlob("BB");
  // Out of order on purpose: the manifest is sorted.
  auto uploaded = PutTreeOfBlobs(*store_, {{"sub/b.txt", b, 2, false}, {"a.txt", a, 1, false}});
  ASSERT_TRUE(uploaded.ok()) << uploaded.status().ToString();
  EXPECT_EQ(*uploaded, *whole);

  auto code = [&](std::vector<TreeEntry> entries) {
    return PutTreeOfBlobs(*store_, std::move(entries)).status();
  };
  EXPECT_EQ(code({{"../x", a, 1, false}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(code({{"/abs", a, 1, false}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(code({{"a", a, 1, false}, {"a", a, 1, false}}).message(),
            "file path 'a' appears twice");
  EXPECT_EQ(code({{"a", a, 5, false}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(code({{"a", "zz", 1, false}}).code(), StatusCode::kInvalidArgument);
  Status missing = code({{"a", Sha256Hex("never stored"), 1, false}});
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("'a'"), std::string::npos) << missing.message();
}

TEST_F(BlobTreeTest, MaterializeRecreatesTheFolderOnce) {
  Write(dir_ / "t/x/y.txt", "why");
  auto digest = PutTree(*store_, (dir_ / "t").string());
  ASSERT_TRUE(digest.ok());
  auto folder = MaterializeTree(*store_, *digest, (dir_ / "cache").string());
  ASSERT_TRUE(folder.ok()) << folder.status().ToString();
  std::ifstream in(fs::path(*folder) / "x/y.txt");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "why");
  EXPECT_EQ(*MaterializeTree(*store_, *digest, (dir_ / "cache").string()), *folder);
}

TEST_F(BlobTreeTest, SymlinksAreRefused) {
  Write(dir_ / "t/a.txt", "A");
  fs::create_symlink("/etc/passwd", dir_ / "t/link");
  auto digest = PutTree(*store_, (dir_ / "t").string());
  ASSERT_FALSE(digest.ok());
  EXPECT_NE(digest.status().message().find("link"), std::string::npos);
  EXPECT_EQ(PutTree(*store_, (dir_ / "none").string()).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace kiln::artifacts
