#include "pipeline/module_folder.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pipeline/module_library.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/pipeline_validate.h"

namespace kiln::pipeline {
namespace {

namespace fs = std::filesystem;

std::string Manifest(const std::string& name, const std::string& version) {
  return "name: " + name + "\nversion: " + version +
         "\ndescription: test module\nparams:\n  n: {type: int, default: 1}\n"
         "command: [sh, run.sh, \"${params.n}\"]\n";
}

class ModuleFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_modfolder_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = fs::canonical(tmpl);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  void Write(const fs::path& relative, const std::string& text, bool executable = false) {
    const fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    ::chmod(path.c_str(), executable ? 0755 : 0644);
  }

  // A module folder `dir` with module.yaml and run.sh.
  void MakeModule(const std::string& dir, const std::string& name, const std::string& version,
                  const std::string& script = "echo hi\n") {
    Write(fs::path(dir) / "module.yaml", Manifest(name, version));
    Write(fs::path(dir) / "run.sh", script);
  }

  std::string DigestOf(const std::string& dir) {
    Result<ModuleManifest> m = LoadModuleFolder((root_ / dir).string());
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? m->files_digest : "";
  }

  fs::path root_;
};

TEST_F(ModuleFolderTest, LoadFillsSourceDirAndDigest) {
  MakeModule("m", "demo", "1.0.0");
  Result<ModuleManifest> m = LoadModuleFolder((root_ / "m" / "").string());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->name, "demo");
  EXPECT_EQ(m->source_dir, (root_ / "m").string());
  EXPECT_EQ(m->files_digest.size(), 64u);
}

TEST_F(ModuleFolderTest, DigestIsStableAndMatchesInMemoryFiles) {
  MakeModule("a", "demo", "1.0.0");
  MakeModule("b", "demo", "1.0.0");
  EXPECT_EQ(DigestOf("a"), DigestOf("b"));
  EXPECT_EQ(DigestOf("a"), DigestOf("a"));
  std::vector<ModuleFile> files = {{"run.sh", "echo hi\n", false},
                                   {"module.yaml", Manifest("demo", "1.0.0"), false}};
  EXPECT_EQ(ComputeFilesDigest(files), DigestOf("a"));
  Result<std::vector<ModuleFile>> read = ReadModuleFiles((root_ / "a").string());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(ComputeFilesDigest(*read), DigestOf("a"));
}

TEST_F(ModuleFolderTest, DigestChangesWithContentPathAndExecBit) {
  MakeModule("base", "demo", "1.0.0");
  const std::string base = DigestOf("base");
  MakeModule("content", "demo", "1.0.0", "echo bye\n");
  EXPECT_NE(DigestOf("content"), base);
  MakeModule("exec", "demo", "1.0.0");
  ::chmod((root_ / "exec" / "run.sh").c_str(), 0755);
  EXPECT_NE(DigestOf("exec"), base);
  MakeModule("path", "demo", "1.0.0");
  fs::rename(root_ / "path" / "run.sh", root_ / "path" / "run2.sh");
  EXPECT_NE(DigestOf("path"), base);
  MakeModule("extra", "demo", "1.0.0");
  Write("extra/sub/data.txt", "");
  EXPECT_NE(DigestOf("extra"), base);
}

TEST_F(ModuleFolderTest, HiddenEntriesAndPycacheAreSkipped) {
  MakeModule("base", "demo", "1.0.0");
  MakeModule("noisy", "demo", "1.0.0");
  Write("noisy/.git/config", "x");
  Write("noisy/__pycache__/a.pyc", "x");
  Write("noisy/sub/__pycache__/b.pyc", "x");
  Write("noisy/.DS_Store", "x");
  EXPECT_EQ(DigestOf("noisy"), DigestOf("base"));
  Result<std::vector<ModuleFolderEntry>> entries = WalkModuleFolder((root_ / "noisy").string());
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].path, "module.yaml");
  EXPECT_TRUE(IsSkippedModulePath("a/.git/x"));
  EXPECT_TRUE(IsSkippedModulePath("__pycache__/x.pyc"));
  EXPECT_FALSE(IsSkippedModulePath("a/b.py"));
}

TEST_F(ModuleFolderTest, MissingManifestNamesTheFile) {
  Write("empty/run.sh", "x");
  Result<ModuleManifest> m = LoadModuleFolder((root_ / "empty").string());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find((root_ / "empty" / "module.yaml").string()),
            std::string::npos)
      << m.status().message();
  EXPECT_EQ(LoadModuleFolder((root_ / "nope").string()).status().code(), StatusCode::kNotFound);
}

TEST_F(ModuleFolderTest, BadManifestHasFileLineAndColumn) {
  Write("bad/module.yaml", "name: demo\nversion: one\ncommand: [x]\n");
  Result<ModuleManifest> m = LoadModuleFolder((root_ / "bad").string());
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("bad/module.yaml:2:10: version"), std::string::npos)
      << m.status().message();
}

TEST_F(ModuleFolderTest, SymlinksInsideAreFilesOutsideAreRefused) {
  MakeModule("linked", "demo", "1.0.0");
  fs::create_symlink("run.sh", root_ / "linked" / "alias.sh");
  Result<std::vector<ModuleFolderEntry>> entries = WalkModuleFolder((root_ / "linked").string());
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  EXPECT_EQ(entries->size(), 3u);
  Write("secret.txt", "x");
  MakeModule("escape", "demo", "1.0.0");
  fs::create_symlink(root_ / "secret.txt", root_ / "escape" / "secret.txt");
  Result<ModuleManifest> m = LoadModuleFolder((root_ / "escape").string());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("outside the module folder"), std::string::npos);
}

TEST_F(ModuleFolderTest, ScanFindsModulesAtAnyDepth) {
  MakeModule("lib/a", "alpha", "1.0.0");
  MakeModule("lib/group/b", "beta", "2.0.0");
  MakeModule("lib/.hidden/c", "gamma", "1.0.0");
  Write("lib/a/nested/module.yaml", "not: scanned");  // inside a module: part of its files
  Result<std::vector<ModuleManifest>> found = ScanModuleRoot((root_ / "lib").string());
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].name, "alpha");
  EXPECT_EQ((*found)[1].name, "beta");
  Result<std::vector<ModuleManifest>> none = ScanModuleRoot((root_ / "missing").string());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(ModuleFolderTest, ScanRefusesTheSameVersionTwice) {
  MakeModule("lib/a", "alpha", "1.0.0");
  MakeModule("lib/b", "alpha", "1.0.0", "other\n");
  Result<std::vector<ModuleManifest>> found = ScanModuleRoot((root_ / "lib").string());
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.status().message().find("alpha@1.0.0"), std::string::npos);
  EXPECT_NE(found.status().message().find((root_ / "lib/b").string()), std::string::npos);
}

TEST_F(ModuleFolderTest, StandardLibraryLoads) {
  const fs::path std_dir = fs::path(__FILE__).parent_path().parent_path().parent_path() / "modules";
  Result<std::vector<ModuleManifest>> found = ScanModuleRoot(std_dir.string());
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  std::vector<std::string> names;
  for (const ModuleManifest& m : *found) names.push_back(m.name + "@" + m.version);
  EXPECT_NE(std::find(names.begin(), names.end(), "shell@1.0.0"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "csv-head@2.0.0"), names.end());
}

TEST(CompareVersionsTest, SemverOrder) {
  const std::vector<std::string> ordered = {
      "0.9.0",        "1.0.0-alpha",   "1.0.0-alpha.1", "1.0.0-alpha.beta",
      "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",    "1.0.0",
      "1.2.0",        "1.10.0",        "10.0.0"};
  for (size_t i = 0; i + 1 < ordered.size(); ++i) {
    EXPECT_LT(CompareVersions(ordered[i], ordered[i + 1]), 0) << ordered[i];
    EXPECT_GT(CompareVersions(ordered[i + 1], ordered[i]), 0) << ordered[i];
  }
  EXPECT_EQ(CompareVersions("1.2.3", "1.2.3"), 0);
  EXPECT_LT(CompareVersions("99999999999999999999.0.0", "100000000000000000000.0.0"), 0);
}

class LayeredLibraryTest : public ModuleFolderTest {};

TEST_F(LayeredLibraryTest, LayersStackInPriorityOrder) {
  MakeModule("project/modules/a", "alpha", "1.0.0");
  MakeModule("extra/a", "alpha", "1.0.0");  // same files: fine, the project copy wins
  MakeModule("extra/a2", "alpha", "2.0.0");
  MakeModule("std/b", "beta", "1.0.0");
  ModuleLibraryOptions options;
  options.project_dir = (root_ / "project").string();
  options.extra_dirs = {(root_ / "extra").string(), (root_ / "missing").string()};
  options.std_dir = (root_ / "std").string();
  Result<ModuleManifest> published = ParseModuleManifest(Manifest("gamma", "0.1.0"), "module.yaml");
  ASSERT_TRUE(published.ok());
  options.published = {*published};
  Result<std::unique_ptr<ModuleLibrary>> library = OpenModuleLibrary(options);
  ASSERT_TRUE(library.ok()) << library.status().ToString();
  const ModuleManifest* alpha = (*library)->Find("alpha", "1.0.0");
  ASSERT_NE(alpha, nullptr);
  EXPECT_EQ(alpha->source_dir, (root_ / "project/modules/a").string());
  EXPECT_EQ((*library)->Versions("alpha"), (std::vector<std::string>{"1.0.0", "2.0.0"}));
  EXPECT_NE((*library)->Find("beta", "1.0.0"), nullptr);
  EXPECT_NE((*library)->Find("gamma", "0.1.0"), nullptr);
  EXPECT_TRUE((*library)->HasModule("beta"));
  EXPECT_FALSE((*library)->HasModule("delta"));
}

// A conflict makes only that name@version unusable; every other module stays usable, and the
// message names the layers, never their install folders.
TEST_F(LayeredLibraryTest, SameVersionWithOtherFilesIsUnusableOnlyItself) {
  MakeModule("project/modules/a", "alpha", "1.0.0", "echo project\n");
  MakeModule("std/a", "alpha", "1.0.0", "echo std\n");
  MakeModule("std/b", "beta", "1.0.0");
  MakeModule("extra1/a", "alpha", "2.0.0", "echo one\n");
  MakeModule("extra2/a", "alpha", "2.0.0", "echo two\n");
  ModuleLibraryOptions options;
  options.project_dir = (root_ / "project").string();
  options.extra_dirs = {(root_ / "extra1").string(), (root_ / "extra2").string()};
  options.std_dir = (root_ / "std").string();
  Result<std::unique_ptr<ModuleLibrary>> library = OpenModuleLibrary(options);
  ASSERT_TRUE(library.ok()) << library.status().ToString();
  EXPECT_EQ((*library)->Find("alpha", "1.0.0"), nullptr);
  EXPECT_NE((*library)->Find("beta", "1.0.0"), nullptr);
  EXPECT_TRUE((*library)->CheckUsable("beta", "1.0.0").ok());
  const Status unusable = (*library)->CheckUsable("alpha", "1.0.0");
  ASSERT_EQ(unusable.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unusable.message(),
            "module alpha@1.0.0 has different files in the project folder and in the standard "
            "library; a name@version must always mean the same files, so it cannot be used: "
            "bump the version of one of them");
  const std::string entries = (*library)->CheckUsable("alpha", "2.0.0").message();
  EXPECT_NE(entries.find("KILN_MODULE_PATH entry 1 and in the KILN_MODULE_PATH entry 2"),
            std::string::npos)
      << entries;
  EXPECT_EQ(entries.find(root_.string()), std::string::npos) << entries;
}

TEST_F(LayeredLibraryTest, ConflictFailsOnlyPipelinesThatUseIt) {
  MakeModule("std/read", "read-csv", "1.0.0", "echo std\n");
  MakeModule("std/other", "other", "1.0.0");
  Result<ModuleManifest> evil = ParseModuleManifest(Manifest("read-csv", "1.0.0"), "module.yaml");
  ASSERT_TRUE(evil.ok());
  evil->files_digest = std::string(64, 'e');  // a published read-csv@1.0.0 with other files
  ModuleLibraryOptions options;
  options.std_dir = (root_ / "std").string();
  options.published = {*evil};
  Result<std::unique_ptr<ModuleLibrary>> library = OpenModuleLibrary(options);
  ASSERT_TRUE(library.ok()) << library.status().ToString();
  auto validate = [&](const std::string& uses) {
    Result<PipelineSpec> spec =
        ParsePipeline("name: p\nsteps:\n  a: {uses: " + uses + "}\n", "p.yaml");
    EXPECT_TRUE(spec.ok()) << spec.status().ToString();
    return spec.ok() ? ValidatePipeline(*spec, **library) : spec.status();
  };
  EXPECT_TRUE(validate("other@1.0.0").ok()) << validate("other@1.0.0").ToString();
  const Status used = validate("read-csv@1.0.0");
  EXPECT_EQ(used.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(used.message().rfind("p.yaml:3:13: steps.a.uses: module read-csv@1.0.0 has different "
                                 "files in the standard library and in the published modules",
                                 0),
            0u)
      << used.message();
}

TEST_F(LayeredLibraryTest, YankedPublishedVersionsAreKnownButUnusable) {
  MakeModule("std/a", "alpha", "1.0.0");
  Result<ModuleManifest> gone = ParseModuleManifest(Manifest("gamma", "0.1.0"), "module.yaml");
  Result<ModuleManifest> live = ParseModuleManifest(Manifest("gamma", "0.2.0"), "module.yaml");
  Result<ModuleManifest> shadowed = ParseModuleManifest(Manifest("alpha", "1.0.0"), "module.yaml");
  ASSERT_TRUE(gone.ok() && live.ok() && shadowed.ok());
  gone->unusable = "module gamma@0.1.0 was yanked";
  shadowed->unusable = "module alpha@1.0.0 was yanked";  // a higher layer has it: no change
  ModuleLibraryOptions options;
  options.std_dir = (root_ / "std").string();
  options.published = {*gone, *live, *shadowed};
  Result<std::unique_ptr<ModuleLibrary>> library = OpenModuleLibrary(options);
  ASSERT_TRUE(library.ok()) << library.status().ToString();
  EXPECT_EQ((*library)->Find("gamma", "0.1.0"), nullptr);
  EXPECT_NE((*library)->CheckUsable("gamma", "0.1.0").message().find("was yanked"),
            std::string::npos);
  EXPECT_NE((*library)->Find("gamma", "0.2.0"), nullptr);
  EXPECT_NE((*library)->Find("alpha", "1.0.0"), nullptr);
  EXPECT_TRUE((*library)->CheckUsable("alpha", "1.0.0").ok());
}

TEST_F(LayeredLibraryTest, FolderLayersNameEntriesNotPaths) {
  ModuleLibraryOptions options;
  options.project_dir = "/p";
  options.extra_dirs = {"/x", "/y"};
  options.std_dir = "/usr/share/kiln/modules";
  std::vector<std::string> origins;
  for (const ModuleFolderLayer& layer : FolderLayers(options)) origins.push_back(layer.origin);
  EXPECT_EQ(origins, (std::vector<std::string>{"project folder", "KILN_MODULE_PATH entry 1",
                                               "KILN_MODULE_PATH entry 2", "standard library"}));
  EXPECT_EQ(FolderLayers(options)[0].dir, "/p/modules");
}

TEST_F(LayeredLibraryTest, EnvironmentSelectsFolders) {
  ::setenv("KILN_MODULE_PATH", "/x:/y::", 1);
  EXPECT_EQ(ModulePathFromEnv(), (std::vector<std::string>{"/x", "/y"}));
  ::unsetenv("KILN_MODULE_PATH");
  EXPECT_TRUE(ModulePathFromEnv().empty());
  ::setenv("KILN_STD_MODULES", "/opt/kiln/modules", 1);
  EXPECT_EQ(StdModulesDir(), "/opt/kiln/modules");
  ::unsetenv("KILN_STD_MODULES");
  // Tests run from the build folder beside the repository's modules/.
  const std::string fallback = StdModulesDir();
  if (!fallback.empty()) {
    EXPECT_TRUE(fs::is_directory(fallback)) << fallback;
  }
}

}  // namespace
}  // namespace kiln::pipeline
