#include "artifacts/blob_tree.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "artifacts/sha256.h"
#include "artifacts/tree_folder.h"

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
            "files[1]: duplicate path 'a'");
  EXPECT_EQ(code({{"a", a, 1, false}, {"a/b", a, 1, false}}).code(), StatusCode::kInvalidArgument);
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

// A manifest crafted by hand (as a client can upload it as a blob) that names files outside
// the folder it is materialized into.
TEST_F(BlobTreeTest, MaterializeRefusesEscapingManifestsAndWritesNothing) {
  const std::string a = *store_->PutBlob("A");
  const fs::path cache = dir_ / "deep" / "cache";
  const fs::path abs_target = dir_ / "abs-target";
  for (const std::string& path :
       {std::string("../../escape"), std::string("../../../escape"), abs_target.string(),
        std::string("ok/../../../../escape"), std::string("a\\..\\..\\escape")}) {
    const std::string manifest = "kiln-tree-v1\n" + path + "\t" + a + "\t1\tx\n";
    const std::string digest = *store_->PutBlob(manifest);
    Result<std::string> folder = MaterializeTree(*store_, digest, cache.string());
    ASSERT_FALSE(folder.ok()) << path;
    EXPECT_EQ(folder.status().code(), StatusCode::kInvalidArgument) << path;
    EXPECT_EQ(ParseTreeManifest(manifest).status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_FALSE(fs::exists(dir_ / "escape"));
  EXPECT_FALSE(fs::exists(dir_ / "deep" / "escape"));
  EXPECT_FALSE(fs::exists(abs_target));
  EXPECT_FALSE(fs::exists(cache) && !fs::is_empty(cache));
}

TEST_F(BlobTreeTest, ManifestsWithBadFieldsAreRefused) {
  const std::string a = *store_->PutBlob("A");
  const std::vector<std::string> bad_lines = {"a\t" + a + "\t-1\t-",
                                              "a\t" + a + "\t1x\t-",
                                              "a\t" + a + "\t\t-",
                                              "a\t" + a + "\t1\ty",
                                              "a\t../../x\t1\t-",
                                              "a\t" + a + "\t1",
                                              "a\t" + a + "\t1\t-\tz",
                                              "a\t" + a + "\t1\t-\na\t" + a + "\t1\t-",
                                              "a\t" + a + "\t1\t-\na/b\t" + a + "\t1\t-"};
  for (const std::string& line : bad_lines) {
    EXPECT_EQ(ParseTreeManifest("kiln-tree-v1\n" + line + "\n").status().code(),
              StatusCode::kInvalidArgument)
        << line;
  }
  Result<std::vector<TreeEntry>> good = ParseTreeManifest("kiln-tree-v1\na\t" + a + "\t1\tx\n");
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_TRUE((*good)[0].executable);
}

// A digest that is a path would make `cache_root / digest` leave the cache (or replace it).
TEST_F(BlobTreeTest, MaterializeRefusesADigestThatIsNoDigest) {
  Write(dir_ / "victim" / "kiln-model.json", "{}");
  const std::string cache = (dir_ / "cache").string();
  for (const std::string& digest :
       {(dir_ / "victim").string(), std::string("../victim"), std::string(".."), std::string(""),
        std::string(64, 'A'), std::string(63, 'a') + "/"}) {
    Result<std::string> folder = MaterializeTree(*store_, digest, cache);
    ASSERT_FALSE(folder.ok()) << digest;
    EXPECT_EQ(folder.status().code(), StatusCode::kInvalidArgument) << digest;
  }
  EXPECT_FALSE(fs::exists(cache));
}

TEST_F(BlobTreeTest, MaterializeChecksSizesAndLeavesNoTemporaryFolder) {
  const std::string a = *store_->PutBlob("A");
  const std::string digest = *store_->PutBlob("kiln-tree-v1\nsub/a\t" + a + "\t5\t-\n");
  const fs::path cache = dir_ / "cache";
  Result<std::string> folder = MaterializeTree(*store_, digest, cache.string());
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(folder.status().message().find("'sub/a'"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(cache));  // the half-written temporary folder is gone
  const std::string missing =
      *store_->PutBlob("kiln-tree-v1\na\t" + Sha256Hex("never stored") + "\t1\t-\n");
  EXPECT_EQ(MaterializeTree(*store_, missing, cache.string()).status().code(),
            StatusCode::kNotFound);
}

TEST_F(BlobTreeTest, WriteTreeFolderNeverReusesAnExistingFolder) {
  const std::string a = *store_->PutBlob("A");
  fs::create_directories(dir_ / "out");
  fs::create_symlink(dir_ / "elsewhere", dir_ / "out" / "f");
  Status s = WriteTreeFolder(*store_, {{"f", a, 1, false}}, (dir_ / "out").string());
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_FALSE(fs::exists(dir_ / "elsewhere"));
  ASSERT_TRUE(
      WriteTreeFolder(*store_, {{"x/f", a, 1, true}, {"g", a, 1, false}}, (dir_ / "new").string())
          .ok());
  struct stat st;
  ASSERT_EQ(::stat((dir_ / "new/x/f").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0555u);
  ASSERT_EQ(::stat((dir_ / "new/g").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0444u);
}

}  // namespace
}  // namespace kiln::artifacts
