#include "registry/registry_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kiln::registry {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

std::optional<std::string> FindTag(const std::vector<Tag>& tags, const std::string& key) {
  for (const Tag& tag : tags) {
    if (tag.key == key) return tag.value;
  }
  return std::nullopt;
}

class RegistryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_registry_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = store::OpenSqliteStore((dir_ / "kiln.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    service_ = std::make_unique<RegistryService>(*store_);
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  RegistryService& r() { return *service_; }

  void NewModel(const std::string& name, const std::vector<Tag>& tags = {}) {
    auto model = r().CreateRegisteredModel(name, tags, "");
    ASSERT_TRUE(model.ok()) << model.status().ToString();
  }

  ModelVersion NewVersion(const std::string& name, const std::string& run_id = "",
                          const std::vector<Tag>& tags = {}) {
    NewModelVersion request;
    request.name = name;
    request.source = "mlflow-artifacts:/0/" + run_id + "/artifacts/model";
    request.run_id = run_id;
    request.tags = tags;
    auto version = r().CreateModelVersion(request);
    EXPECT_TRUE(version.ok()) << version.status().ToString();
    return version.ok() ? *version : ModelVersion{};
  }

  ModelVersion GetVersion(const std::string& name, const std::string& version) {
    auto v = r().GetModelVersion(name, version);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : ModelVersion{};
  }

  Strings ModelNames(const SearchQuery& query) {
    auto page = r().SearchRegisteredModels(query);
    EXPECT_TRUE(page.ok()) << query.filter << ": " << page.status().ToString();
    Strings names;
    if (page.ok()) {
      for (const RegisteredModel& m : page->items) names.push_back(m.name);
    }
    return names;
  }

  // "name/version" of every match, in result order.
  Strings VersionKeys(const SearchQuery& query) {
    auto page = r().SearchModelVersions(query);
    EXPECT_TRUE(page.ok()) << query.filter << ": " << page.status().ToString();
    Strings keys;
    if (page.ok()) {
      for (const ModelVersion& v : page->items) keys.push_back(v.name + "/" + v.version);
    }
    return keys;
  }

  fs::path dir_;
  std::unique_ptr<store::MetaStore> store_;
  std::unique_ptr<RegistryService> service_;
};

TEST_F(RegistryServiceTest, CreateAndGetModel) {
  auto created = r().CreateRegisteredModel("iris", {{"team", "ml"}}, "classifier");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->name, "iris");
  EXPECT_EQ(created->description, "classifier");
  EXPECT_GT(created->creation_timestamp, 0);
  EXPECT_EQ(FindTag(created->tags, "team"), "ml");
  EXPECT_TRUE(created->latest_versions.empty());

  auto got = r().GetRegisteredModel("iris");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->description, "classifier");
  EXPECT_EQ(got->creation_timestamp, created->creation_timestamp);

  EXPECT_EQ(r().GetRegisteredModel("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r().CreateRegisteredModel("", {}, "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r().CreateRegisteredModel("bad", {{"a/../b", "v"}}, "").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(r().GetRegisteredModel("bad").status().code(), StatusCode::kNotFound);
}

TEST_F(RegistryServiceTest, DuplicateModelIsAlreadyExists) {
  NewModel("iris", {{"k", "original"}});
  auto dup = r().CreateRegisteredModel("iris", {{"k", "changed"}}, "");
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.status().message().find("iris"), std::string::npos);
  EXPECT_EQ(FindTag(r().GetRegisteredModel("iris")->tags, "k"), "original");
}

TEST_F(RegistryServiceTest, UpdateModelDescriptionAndTags) {
  NewModel("iris");
  auto updated = r().UpdateRegisteredModel("iris", "new words");
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->description, "new words");
  EXPECT_EQ(r().UpdateRegisteredModel("nope", "x").status().code(), StatusCode::kNotFound);

  ASSERT_TRUE(r().SetRegisteredModelTag("iris", {"k", "1"}).ok());
  ASSERT_TRUE(r().SetRegisteredModelTag("iris", {"k", "2"}).ok());
  EXPECT_EQ(FindTag(r().GetRegisteredModel("iris")->tags, "k"), "2");
  EXPECT_EQ(r().SetRegisteredModelTag("iris", {"bad*", "v"}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r().SetRegisteredModelTag("iris", {"k", std::string(5001, 'x')}).code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(r().DeleteRegisteredModelTag("iris", "k").ok());
  EXPECT_TRUE(r().GetRegisteredModel("iris")->tags.empty());
  EXPECT_EQ(r().DeleteRegisteredModelTag("iris", "k").code(), StatusCode::kNotFound);
  EXPECT_EQ(r().SetRegisteredModelTag("nope", {"k", "v"}).code(), StatusCode::kNotFound);
}

TEST_F(RegistryServiceTest, VersionsAreNumberedAndReady) {
  NewModel("iris");
  ModelVersion v1 = NewVersion("iris", "run1", {{"stage", "dev"}});
  ModelVersion v2 = NewVersion("iris", "run2");
  ModelVersion v3 = NewVersion("iris", "run3");
  EXPECT_EQ(v1.version, "1");
  EXPECT_EQ(v2.version, "2");
  EXPECT_EQ(v3.version, "3");
  EXPECT_EQ(v1.status, "READY");
  EXPECT_EQ(v1.current_stage, "None");
  EXPECT_EQ(v1.run_id, "run1");
  EXPECT_EQ(v1.source, "mlflow-artifacts:/0/run1/artifacts/model");
  EXPECT_EQ(FindTag(v1.tags, "stage"), "dev");
  // Numbering is per model.
  NewModel("wine");
  EXPECT_EQ(NewVersion("wine").version, "1");

  auto listed = r().ListModelVersions("iris");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].version, "3");  // newest first
  EXPECT_EQ((*listed)[2].version, "1");

  NewModelVersion orphan;
  orphan.name = "nope";
  orphan.source = "s";
  EXPECT_EQ(r().CreateModelVersion(orphan).status().code(), StatusCode::kNotFound);
  NewModelVersion sourceless;
  sourceless.name = "iris";
  EXPECT_EQ(r().CreateModelVersion(sourceless).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r().GetModelVersion("iris", "9").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r().GetModelVersion("iris", "x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r().GetModelVersion("iris", "0").status().code(), StatusCode::kInvalidArgument);
}

// A package source names a stored package by digest; a path there would load any folder.
TEST_F(RegistryServiceTest, MalformedPackageSourcesAreRefusedAtCreate) {
  NewModel("iris");
  for (const std::string& source :
       {std::string("kiln-package:.."), std::string("kiln-package:/some/folder"),
        std::string("kiln-package:"), std::string("kiln-package:") + std::string(63, 'a'),
        std::string("kiln-package:") + std::string(64, 'A'),
        std::string("kiln-package:") + std::string(64, 'a') + "/x",
        std::string("kiln-package:../") + std::string(61, 'a')}) {
    NewModelVersion request;
    request.name = "iris";
    request.source = source;
    Status refused = r().CreateModelVersion(request).status();
    EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument) << source;
    EXPECT_NE(refused.message().find("source"), std::string::npos) << refused.message();
    EXPECT_EQ(refused.message().find("/some/folder"), std::string::npos) << refused.message();
  }
  EXPECT_TRUE(r().ListModelVersions("iris")->empty());
  NewModelVersion good;
  good.name = "iris";
  good.source = "kiln-package:" + std::string(64, 'a');
  EXPECT_TRUE(r().CreateModelVersion(good).ok());
  good.source = "s3://bucket/model";  // other sources stay MLflow's business
  EXPECT_TRUE(r().CreateModelVersion(good).ok());
}

TEST_F(RegistryServiceTest, UpdateAndDeleteVersion) {
  NewModel("iris");
  NewVersion("iris");
  NewVersion("iris");
  auto updated = r().UpdateModelVersion("iris", "1", "first one");
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->description, "first one");
  EXPECT_EQ(GetVersion("iris", "1").description, "first one");
  EXPECT_EQ(r().UpdateModelVersion("iris", "7", "x").status().code(), StatusCode::kNotFound);

  ASSERT_TRUE(r().DeleteModelVersion("iris", "1").ok());
  EXPECT_EQ(r().GetModelVersion("iris", "1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r().ListModelVersions("iris")->size(), 1u);
  EXPECT_EQ(r().DeleteModelVersion("iris", "1").code(), StatusCode::kNotFound);
  // Numbers are never reused, even when the newest version is deleted.
  ASSERT_TRUE(r().DeleteModelVersion("iris", "2").ok());
  EXPECT_EQ(NewVersion("iris").version, "3");
}

TEST_F(RegistryServiceTest, RenameCarriesVersionsTagsAndAliases) {
  NewModel("old", {{"team", "ml"}});
  NewVersion("old", "run1", {{"vt", "x"}});
  NewVersion("old", "run2");
  ASSERT_TRUE(r().SetAlias("old", "champion", "2").ok());
  NewModel("taken");

  EXPECT_EQ(r().RenameRegisteredModel("old", "taken").status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(r().RenameRegisteredModel("old", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r().RenameRegisteredModel("nope", "x").status().code(), StatusCode::kNotFound);

  auto renamed = r().RenameRegisteredModel("old", "new");
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();
  EXPECT_EQ(renamed->name, "new");
  EXPECT_EQ(FindTag(renamed->tags, "team"), "ml");
  ASSERT_EQ(renamed->aliases.size(), 1u);
  EXPECT_EQ(renamed->aliases[0].alias, "champion");
  EXPECT_EQ(renamed->aliases[0].version, "2");
  EXPECT_EQ(r().GetRegisteredModel("old").status().code(), StatusCode::kNotFound);

  auto versions = r().ListModelVersions("new");
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  for (const ModelVersion& v : *versions) EXPECT_EQ(v.name, "new");
  EXPECT_EQ(FindTag(GetVersion("new", "1").tags, "vt"), "x");
  auto champion = r().GetVersionByAlias("new", "champion");
  ASSERT_TRUE(champion.ok());
  EXPECT_EQ(champion->version, "2");
  EXPECT_EQ(champion->run_id, "run2");
  EXPECT_EQ(NewVersion("new").version, "3");
  SearchQuery old_versions;
  old_versions.filter = "name = 'old'";
  EXPECT_TRUE(VersionKeys(old_versions).empty());
}

TEST_F(RegistryServiceTest, DeleteModelRemovesEverything) {
  NewModel("iris", {{"k", "v"}});
  NewVersion("iris", "", {{"vt", "x"}});
  ASSERT_TRUE(r().SetAlias("iris", "prod", "1").ok());
  ASSERT_TRUE(r().DeleteRegisteredModel("iris").ok());
  EXPECT_EQ(r().GetRegisteredModel("iris").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r().GetModelVersion("iris", "1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r().DeleteRegisteredModel("iris").code(), StatusCode::kNotFound);
  // A new model of the same name starts clean.
  NewModel("iris");
  auto fresh = r().GetRegisteredModel("iris");
  EXPECT_TRUE(fresh->tags.empty());
  EXPECT_TRUE(fresh->aliases.empty());
  ModelVersion v = NewVersion("iris");
  EXPECT_EQ(v.version, "1");
  EXPECT_TRUE(v.tags.empty());
  EXPECT_TRUE(v.aliases.empty());
}

TEST_F(RegistryServiceTest, StageTransitionsAndLatestVersions) {
  NewModel("iris");
  for (int i = 0; i < 4; ++i) NewVersion("iris");
  auto staged = r().TransitionStage("iris", "1", "staging", false);  // any case
  ASSERT_TRUE(staged.ok()) << staged.status().ToString();
  EXPECT_EQ(staged->current_stage, "Staging");
  ASSERT_TRUE(r().TransitionStage("iris", "2", "Production", false).ok());
  ASSERT_TRUE(r().TransitionStage("iris", "3", "Staging", false).ok());

  // Without archive_existing both stay in Staging.
  EXPECT_EQ(GetVersion("iris", "1").current_stage, "Staging");
  auto latest_staging = r().GetLatestVersions("iris", {"Staging"});
  ASSERT_TRUE(latest_staging.ok());
  ASSERT_EQ(latest_staging->size(), 1u);
  EXPECT_EQ((*latest_staging)[0].version, "3");

  auto all = r().GetLatestVersions("iris", {});
  ASSERT_TRUE(all.ok());
  std::set<std::string> per_stage;
  for (const ModelVersion& v : *all) per_stage.insert(v.current_stage + ":" + v.version);
  EXPECT_EQ(per_stage, (std::set<std::string>{"None:4", "Production:2", "Staging:3"}));

  auto both = r().GetLatestVersions("iris", {"production", "None"});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->size(), 2u);

  // archive_existing moves the others in the target stage to Archived.
  auto promoted = r().TransitionStage("iris", "4", "Production", true);
  ASSERT_TRUE(promoted.ok());
  EXPECT_EQ(promoted->current_stage, "Production");
  EXPECT_EQ(GetVersion("iris", "2").current_stage, "Archived");
  EXPECT_EQ(GetVersion("iris", "1").current_stage, "Staging");  // other stages untouched
  ASSERT_TRUE(r().TransitionStage("iris", "1", "Staging", true).ok());
  EXPECT_EQ(GetVersion("iris", "1").current_stage, "Staging");
  EXPECT_EQ(GetVersion("iris", "3").current_stage, "Archived");

  EXPECT_EQ(r().TransitionStage("iris", "1", "Shipping", false).status().code(),
            StatusCode::kInvalidArgument);
  // Only the active stages can archive the others.
  EXPECT_EQ(r().TransitionStage("iris", "1", "None", true).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(GetVersion("iris", "1").current_stage, "Staging");
  EXPECT_EQ(r().TransitionStage("iris", "9", "Staging", false).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(r().GetLatestVersions("iris", {"Bogus"}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r().GetLatestVersions("nope", {}).status().code(), StatusCode::kNotFound);
}

TEST_F(RegistryServiceTest, Aliases) {
  NewModel("iris");
  NewVersion("iris");
  NewVersion("iris");
  ASSERT_TRUE(r().SetAlias("iris", "champion", "1").ok());
  auto v = r().GetVersionByAlias("iris", "champion");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->version, "1");
  EXPECT_EQ(v->aliases, (Strings{"champion"}));

  // Moving an alias points it at the new version only.
  ASSERT_TRUE(r().SetAlias("iris", "champion", "2").ok());
  EXPECT_EQ(r().GetVersionByAlias("iris", "champion")->version, "2");
  EXPECT_TRUE(GetVersion("iris", "1").aliases.empty());
  ASSERT_TRUE(r().SetAlias("iris", "challenger", "2").ok());
  EXPECT_EQ(GetVersion("iris", "2").aliases, (Strings{"challenger", "champion"}));
  EXPECT_EQ(r().GetRegisteredModel("iris")->aliases.size(), 2u);

  ASSERT_TRUE(r().DeleteAlias("iris", "challenger").ok());
  EXPECT_EQ(r().GetVersionByAlias("iris", "challenger").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r().DeleteAlias("iris", "challenger").code(), StatusCode::kNotFound);
  EXPECT_EQ(r().GetVersionByAlias("nope", "champion").status().code(), StatusCode::kNotFound);
}

TEST_F(RegistryServiceTest, BadAliasesAreRefused) {
  NewModel("iris");
  NewVersion("iris");
  for (const char* reserved : {"latest", "LATEST", "v1", "V12"}) {
    Status status = r().SetAlias("iris", reserved, "1");
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << reserved;
    EXPECT_NE(status.message().find("reserved"), std::string::npos) << status.message();
  }
  for (const char* malformed : {"", "has space", "dot.ted", "slash/ed"}) {
    EXPECT_EQ(r().SetAlias("iris", malformed, "1").code(), StatusCode::kInvalidArgument)
        << malformed;
  }
  EXPECT_TRUE(r().SetAlias("iris", "v1beta", "1").ok());  // only v<digits> is reserved
  EXPECT_EQ(r().SetAlias("iris", "prod", "5").code(), StatusCode::kNotFound);
  EXPECT_EQ(r().SetAlias("iris", "prod", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r().SetAlias("nope", "prod", "1").code(), StatusCode::kNotFound);
  EXPECT_EQ(r().GetVersionByAlias("iris", "prod").status().code(), StatusCode::kNotFound);
}

TEST_F(RegistryServiceTest, DeletingVersionDropsItsAliases) {
  NewModel("iris");
  NewVersion("iris");
  NewVersion("iris");
  ASSERT_TRUE(r().SetAlias("iris", "old", "1").ok());
  ASSERT_TRUE(r().SetAlias("iris", "new", "2").ok());
  ASSERT_TRUE(r().DeleteModelVersion("iris", "1").ok());
  EXPECT_EQ(r().GetVersionByAlias("iris", "old").status().code(), StatusCode::kNotFound);
  auto model = r().GetRegisteredModel("iris");
  ASSERT_EQ(model->aliases.size(), 1u);
  EXPECT_EQ(model->aliases[0].alias, "new");
  EXPECT_EQ(r().GetVersionByAlias("iris", "new")->version, "2");
}

TEST_F(RegistryServiceTest, VersionTags) {
  NewModel("iris");
  NewVersion("iris");
  ASSERT_TRUE(r().SetModelVersionTag("iris", "1", {"k", "a"}).ok());
  ASSERT_TRUE(r().SetModelVersionTag("iris", "1", {"k", "b"}).ok());
  EXPECT_EQ(FindTag(GetVersion("iris", "1").tags, "k"), "b");
  EXPECT_EQ(r().SetModelVersionTag("iris", "1", {"/bad", "v"}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(r().SetModelVersionTag("iris", "2", {"k", "v"}).code(), StatusCode::kNotFound);
  ASSERT_TRUE(r().DeleteModelVersionTag("iris", "1", "k").ok());
  EXPECT_TRUE(GetVersion("iris", "1").tags.empty());
  EXPECT_EQ(r().DeleteModelVersionTag("iris", "1", "k").code(), StatusCode::kNotFound);
}

TEST_F(RegistryServiceTest, SearchModels) {
  NewModel("iris-a", {{"team", "vision"}});
  NewModel("iris-b", {{"team", "nlp"}});
  NewModel("Iris-C");
  NewModel("wine", {{"team", "vision"}});
  SearchQuery query;
  EXPECT_EQ(ModelNames(query), (Strings{"Iris-C", "iris-a", "iris-b", "wine"}));
  query.filter = "name LIKE 'iris%'";
  EXPECT_EQ(ModelNames(query), (Strings{"iris-a", "iris-b"}));
  query.filter = "name ILIKE 'iris%'";
  EXPECT_EQ(ModelNames(query), (Strings{"Iris-C", "iris-a", "iris-b"}));
  query.filter = "name = 'wine'";
  EXPECT_EQ(ModelNames(query), (Strings{"wine"}));
  query.filter = "tags.team = 'vision'";
  EXPECT_EQ(ModelNames(query), (Strings{"iris-a", "wine"}));
  query.filter = "tags.team = 'vision' AND name LIKE 'iris%'";
  EXPECT_EQ(ModelNames(query), (Strings{"iris-a"}));
  query.filter = "tags.team IS NULL";
  EXPECT_EQ(ModelNames(query), (Strings{"Iris-C"}));
  query.filter = "tags.team IS NOT NULL";
  EXPECT_EQ(ModelNames(query), (Strings{"iris-a", "iris-b", "wine"}));
  query.filter = "";
  query.order_by = {"name DESC"};
  EXPECT_EQ(ModelNames(query), (Strings{"wine", "iris-b", "iris-a", "Iris-C"}));

  query.order_by = {};
  query.filter = "run_id = 'x'";
  EXPECT_EQ(r().SearchRegisteredModels(query).status().code(), StatusCode::kInvalidArgument);
  query.filter = "name = ";
  EXPECT_EQ(r().SearchRegisteredModels(query).status().code(), StatusCode::kInvalidArgument);
  query.filter = "";
  query.order_by = {"bogus"};
  EXPECT_EQ(r().SearchRegisteredModels(query).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(RegistryServiceTest, SearchModelsPaging) {
  Strings created;
  for (int i = 0; i < 7; ++i) {
    created.push_back("m" + std::to_string(i));
    NewModel(created.back());
  }
  SearchQuery query;
  query.max_results = 3;
  Strings seen;
  int pages = 0;
  do {
    auto page = r().SearchRegisteredModels(query);
    ASSERT_TRUE(page.ok());
    EXPECT_LE(page->items.size(), 3u);
    for (const auto& m : page->items) seen.push_back(m.name);
    query.page_token = page->next_page_token;
    ++pages;
  } while (!query.page_token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, created);
  query.page_token = "zzz";
  EXPECT_EQ(r().SearchRegisteredModels(query).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(RegistryServiceTest, SearchVersions) {
  NewModel("iris");
  NewModel("wine");
  NewVersion("iris", "r1", {{"flavor", "xgb"}});
  NewVersion("iris", "r2");
  NewVersion("iris", "r3", {{"flavor", "linear"}});
  NewVersion("wine", "r1");
  SearchQuery query;
  EXPECT_EQ(VersionKeys(query), (Strings{"iris/3", "iris/2", "iris/1", "wine/1"}));
  query.filter = "name = 'iris'";
  EXPECT_EQ(VersionKeys(query), (Strings{"iris/3", "iris/2", "iris/1"}));
  query.filter = "run_id IN ('r1', 'r3')";
  EXPECT_EQ(VersionKeys(query), (Strings{"iris/3", "iris/1", "wine/1"}));
  query.filter = "run_id = 'r1'";
  EXPECT_EQ(VersionKeys(query), (Strings{"iris/1", "wine/1"}));
  query.filter = "name = 'iris' AND version_number = 2";
  EXPECT_EQ(VersionKeys(query), (Strings{"iris/2"}));
  query.filter = "version_number > 1";
  EXPECT_EQ(VersionKeys(query), (Strings{"iris/3", "iris/2"}));
  query.filter = "tags.flavor = 'xgb'";
  EXPECT_EQ(VersionKeys(query), (Strings{"iris/1"}));
  query.filter = "tags.flavor IS NULL";
  EXPECT_EQ(VersionKeys(query), (Strings{"iris/2", "wine/1"}));
  query.filter = "tags.flavor != 'xgb'";
  EXPECT_EQ(VersionKeys(query), (Strings{"iris/3"}));
  query.filter = "source_path LIKE '%/r2/%'";
  EXPECT_EQ(VersionKeys(query), (Strings{"iris/2"}));
  query.filter = "";
  query.order_by = {"version_number ASC"};
  Strings ordered = VersionKeys(query);
  ASSERT_EQ(ordered.size(), 4u);
  EXPECT_EQ(ordered[3], "iris/3");

  query.order_by = {};
  query.filter = "metrics.x > 1";
  EXPECT_EQ(r().SearchModelVersions(query).status().code(), StatusCode::kInvalidArgument);
  query.filter = "version_number = 'two'";
  EXPECT_EQ(r().SearchModelVersions(query).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(RegistryServiceTest, SearchVersionsPaging) {
  NewModel("iris");
  for (int i = 0; i < 5; ++i) NewVersion("iris");
  SearchQuery query;
  query.max_results = 2;
  Strings seen;
  int pages = 0;
  do {
    auto page = r().SearchModelVersions(query);
    ASSERT_TRUE(page.ok());
    for (const auto& v : page->items) seen.push_back(v.version);
    query.page_token = page->next_page_token;
    ++pages;
  } while (!query.page_token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (Strings{"5", "4", "3", "2", "1"}));
  query.page_token = "";
  query.max_results = 0;
  EXPECT_EQ(r().SearchModelVersions(query).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kiln::registry
