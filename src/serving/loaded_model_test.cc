#include "serving/loaded_model.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "artifacts/sha256.h"
#include "registry/registry_service.h"
#include "store/meta_store.h"

namespace kiln::serving {
namespace {

namespace fs = std::filesystem;

class ModelLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_loader_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = store::OpenSqliteStore((dir_ / "kiln.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto artifacts = artifacts::OpenLocalArtifactStore((dir_ / "artifacts").string());
    ASSERT_TRUE(artifacts.ok()) << artifacts.status().ToString();
    artifacts_ = std::move(*artifacts);
    registry_ = std::make_unique<registry::RegistryService>(*store_);
    ASSERT_TRUE(registry_->CreateRegisteredModel("m", {}, "").ok());
    cache_ = dir_ / "data" / "serving" / "packages";
    loader_ = std::make_unique<ModelLoader>(*registry_, *artifacts_, cache_.string());
  }
  void TearDown() override {
    loader_.reset();
    registry_.reset();
    artifacts_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Registers a version with a valid source, then sets `source` behind the registry's back, as
  // a row stored before sources were checked would be.
  int64_t VersionWithSource(const std::string& source) {
    registry::NewModelVersion request;
    request.name = "m";
    request.source = "kiln-package:" + std::string(64, '0');
    auto created = registry_->CreateModelVersion(request);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    const int64_t version = std::stoll(created->version);
    EXPECT_TRUE(store_
                    ->Write([&](store::Session& s) {
                      return s.Exec(
                          "UPDATE model_versions SET source = ? WHERE name = 'm' AND "
                          "version = ?",
                          {source, version});
                    })
                    .ok());
    return version;
  }

  fs::path dir_;
  fs::path cache_;
  std::unique_ptr<store::MetaStore> store_;
  std::unique_ptr<artifacts::ArtifactStore> artifacts_;
  std::unique_ptr<registry::RegistryService> registry_;
  std::unique_ptr<ModelLoader> loader_;
};

// A source naming a folder (or "..") is refused before any filesystem access, with a message
// that neither names the folder nor depends on whether it exists.
TEST_F(ModelLoaderTest, SourcesThatArePathsAreRefusedBeforeTouchingTheDisk) {
  fs::create_directories(dir_ / "victim");
  std::ofstream(dir_ / "victim" / "kiln-model.json") << "{}";
  std::string first_message;
  for (const std::string& folder : {(dir_ / "victim").string(), (dir_ / "absent").string(),
                                    std::string(".."), std::string("../../victim")}) {
    const int64_t version = VersionWithSource("kiln-package:" + folder);
    Result<std::shared_ptr<const LoadedModel>> loaded = loader_->Load("m", version);
    ASSERT_FALSE(loaded.ok()) << folder;
    EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument);
    const std::string message = loaded.status().message();
    EXPECT_EQ(message.find(dir_.string()), std::string::npos) << message;
    EXPECT_NE(message.find("64 lowercase hex"), std::string::npos) << message;
    // The same words whether the folder exists or not (only the version number differs).
    const std::string tail = message.substr(message.find(':'));
    if (first_message.empty()) first_message = tail;
    EXPECT_EQ(tail, first_message);
  }
  EXPECT_FALSE(fs::exists(cache_));
}

TEST_F(ModelLoaderTest, EscapingPackageManifestsWriteNothing) {
  const std::string blob = *artifacts_->PutBlob("x");
  const std::string manifest = "kiln-tree-v1\n../../../escape\t" + blob + "\t1\tx\n" +
                               (dir_ / "abs").string() + "\t" + blob + "\t1\tx\n";
  const std::string digest = *artifacts_->PutBlob(manifest);
  const int64_t version = VersionWithSource("kiln-package:" + digest);
  Result<std::shared_ptr<const LoadedModel>> loaded = loader_->Load("m", version);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(loaded.status().message().find("'../../../escape'"), std::string::npos)
      << loaded.status().message();
  EXPECT_FALSE(fs::exists(dir_ / "escape"));
  EXPECT_FALSE(fs::exists(dir_ / "data" / "escape"));
  EXPECT_FALSE(fs::exists(dir_ / "abs"));
}

TEST_F(ModelLoaderTest, AMissingPackageSaysSoWithoutPaths) {
  const int64_t version = VersionWithSource("kiln-package:" + artifacts::Sha256Hex("nothing"));
  Result<std::shared_ptr<const LoadedModel>> loaded = loader_->Load("m", version);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(loaded.status().message().find("is not stored"), std::string::npos);
  EXPECT_EQ(loaded.status().message().find(dir_.string()), std::string::npos);
}

}  // namespace
}  // namespace kiln::serving
