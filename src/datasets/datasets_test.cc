#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "artifacts/blob_tree.h"
#include "artifacts/sha256.h"
#include "datasets/dataset_ref.h"
#include "datasets/dataset_registry.h"

namespace kiln::datasets {
namespace {

namespace fs = std::filesystem;

TEST(DatasetRefTest, ParsesVersionsAndLatest) {
  auto two = ParseDatasetRef("iris@2");
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->name, "iris");
  EXPECT_EQ(two->version, 2);
  EXPECT_EQ(two->ToString(), "iris@2");
  auto latest = ParseDatasetRef("my-data.v1@latest");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->name, "my-data.v1");
  EXPECT_FALSE(latest->version.has_value());
  EXPECT_EQ(latest->ToString(), "my-data.v1@latest");
  EXPECT_TRUE(ParseDatasetRef("iris", /*allow_bare=*/true).ok());
}

TEST(DatasetRefTest, RefusesBadReferences) {
  EXPECT_EQ(ParseDatasetRef("iris").status().message(),
            "expected NAME@VERSION or NAME@latest, found 'iris'");
  EXPECT_EQ(ParseDatasetRef("iris@0").status().message(),
            "dataset version must be a positive integer or 'latest', found '0' in 'iris@0'");
  EXPECT_EQ(ParseDatasetRef("iris@1x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseDatasetRef("@1").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseDatasetRef("a/b@1").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateDatasetName("-x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateDatasetName(std::string(129, 'a')).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateDatasetName(std::string(128, 'a')).ok());
}

class DatasetRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_datasets_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = store::OpenSqliteStore((dir_ / "kiln.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto artifacts = artifacts::OpenLocalArtifactStore((dir_ / "artifacts").string());
    ASSERT_TRUE(artifacts.ok());
    artifacts_ = std::move(*artifacts);
    registry_ = std::make_unique<DatasetRegistry>(*store_, *artifacts_);
  }
  void TearDown() override {
    registry_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  AddedVersion Add(const std::string& name, const std::string& content) {
    auto digest = artifacts_->PutBlob(content);
    EXPECT_TRUE(digest.ok());
    auto added = registry_->AddVersion({name, *digest, false, "src.csv", ""});
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? *added : AddedVersion{};
  }

  fs::path dir_;
  std::unique_ptr<store::MetaStore> store_;
  std::unique_ptr<artifacts::ArtifactStore> artifacts_;
  std::unique_ptr<DatasetRegistry> registry_;
};

TEST_F(DatasetRegistryTest, NewVersionOnlyWhenContentChanges) {
  AddedVersion first = Add("iris", "a,b\n1,2\n");
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.version.version, 1);
  EXPECT_EQ(first.version.size_bytes, 8);
  EXPECT_EQ(first.version.file_count, 1);
  EXPECT_EQ(first.version.digest, artifacts::Sha256Hex("a,b\n1,2\n"));
  AddedVersion same = Add("iris", "a,b\n1,2\n");
  EXPECT_FALSE(same.created);
  EXPECT_EQ(same.version.version, 1);
  AddedVersion second = Add("iris", "a,b\n3,4\n");
  EXPECT_TRUE(second.created);
  EXPECT_EQ(second.version.version, 2);
  // Going back to the first content is a change too.
  EXPECT_EQ(Add("iris", "a,b\n1,2\n").version.version, 3);

  auto versions = registry_->Versions("iris");
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[0].version, 3);
  EXPECT_EQ((*versions)[2].version, 1);
  auto list = registry_->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].latest_version, 3);
}

TEST_F(DatasetRegistryTest, GetResolvesLatestAndNamesWhatIsMissing) {
  Add("iris", "one");
  Add("iris", "two");
  EXPECT_EQ(registry_->Get({"iris", std::nullopt})->version, 2);
  EXPECT_EQ(registry_->Get({"iris", 1})->digest, artifacts::Sha256Hex("one"));
  EXPECT_EQ(registry_->Get({"iris", 7}).status().message(),
            "dataset 'iris' has no version 7 (latest is 2)");
  EXPECT_EQ(registry_->Get({"nope", 1}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(registry_->Versions("nope").status().code(), StatusCode::kNotFound);
}

TEST_F(DatasetRegistryTest, FoldersAreMeasuredAndMustBeComplete) {
  fs::create_directories(dir_ / "in/sub");
  std::ofstream(dir_ / "in/a.csv") << "x\n1\n";
  std::ofstream(dir_ / "in/sub/b.csv") << "y\n22\n";
  auto tree = artifacts::PutTree(*artifacts_, (dir_ / "in").string());
  ASSERT_TRUE(tree.ok());
  auto added = registry_->AddVersion({"folder", *tree, true, "in/", "two files"});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->version.file_count, 2);
  EXPECT_EQ(added->version.size_bytes, 4 + 5);
  EXPECT_EQ((*registry_->List())[0].description, "two files");

  auto unknown = registry_->AddVersion({"x", artifacts::Sha256Hex("never"), false, "", ""});
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  auto bad_name = registry_->AddVersion({"a b", *tree, true, "", ""});
  EXPECT_EQ(bad_name.status().code(), StatusCode::kInvalidArgument);
  auto not_tree = registry_->AddVersion({"x", *artifacts_->PutBlob("plain"), true, "", ""});
  EXPECT_EQ(not_tree.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry_->List()->size(), 1u);  // nothing was recorded by the failures
}

}  // namespace
}  // namespace kiln::datasets
