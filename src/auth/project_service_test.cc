#include "auth/project_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "auth/auth_service.h"

namespace kiln::auth {
namespace {

namespace fs = std::filesystem;

class ProjectServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_projects_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    store_ = std::move(store::OpenSqliteStore(dir_ + "/kiln.db")).value();
    AuthOptions options;
    options.scrypt = ScryptParams{10, 8, 1};
    auth_ = std::move(AuthService::Make(*store_, options)).value();
    projects_ = std::make_unique<ProjectService>(*store_);
    ASSERT_TRUE(auth_->AddUser("ann", "ann-password", false).ok());
    ASSERT_TRUE(auth_->AddUser("bob", "bob-password", false).ok());
  }
  void TearDown() override {
    projects_.reset();
    auth_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string dir_;
  std::unique_ptr<store::MetaStore> store_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<ProjectService> projects_;
};

TEST_F(ProjectServiceTest, DefaultProjectExistsFromTheStart) {
  Result<std::vector<ProjectInfo>> all = projects_->ListProjects();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].name, "default");
  EXPECT_EQ((*all)[0].member_count, 0);
}

TEST_F(ProjectServiceTest, AddsProjectsAndRefusesBadNames) {
  ASSERT_TRUE(projects_->AddProject("vision", "image models").ok());
  Result<ProjectInfo> vision = projects_->GetProject("vision");
  ASSERT_TRUE(vision.ok());
  EXPECT_EQ(vision->description, "image models");
  EXPECT_EQ(projects_->AddProject("vision", "").code(), StatusCode::kAlreadyExists);
  Status odd = projects_->AddProject("a/b", "");
  EXPECT_EQ(odd.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(odd.message().find("'a/b'"), std::string::npos);
  EXPECT_EQ(projects_->GetProject("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(projects_->ListProjects()->size(), 2u);
}

TEST_F(ProjectServiceTest, ManagesMembersAndTheirRoles) {
  ASSERT_TRUE(projects_->AddMember("default", "ann", "owner").ok());
  ASSERT_TRUE(projects_->AddMember("default", "bob", "viewer").ok());
  EXPECT_EQ(projects_->AddMember("default", "bob", "editor").code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(projects_->SetRole("default", "bob", "runner").ok());
  Result<std::vector<Member>> members = projects_->Members("default");
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].user, "ann");
  EXPECT_EQ((*members)[0].role, "owner");
  EXPECT_EQ((*members)[1].role, "runner");
  EXPECT_EQ(projects_->GetProject("default")->member_count, 2);
  ASSERT_TRUE(projects_->RemoveMember("default", "bob").ok());
  EXPECT_EQ(projects_->Members("default")->size(), 1u);
}

TEST_F(ProjectServiceTest, RefusesUnknownNamesAndRolesChangingNothing) {
  EXPECT_EQ(projects_->AddMember("nope", "ann", "viewer").code(), StatusCode::kNotFound);
  EXPECT_EQ(projects_->AddMember("default", "zed", "viewer").code(), StatusCode::kNotFound);
  Status role = projects_->AddMember("default", "ann", "admin");
  EXPECT_EQ(role.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(role.message().find("'admin'"), std::string::npos);
  EXPECT_EQ(projects_->SetRole("default", "ann", "viewer").code(), StatusCode::kNotFound);
  EXPECT_EQ(projects_->RemoveMember("default", "ann").code(), StatusCode::kNotFound);
  EXPECT_EQ(projects_->Members("nope").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(projects_->Members("default")->empty());
}

TEST_F(ProjectServiceTest, TokensMayOnlyNameExistingProjects) {
  EXPECT_EQ(auth_->CreateToken({"ann", "", "nope", "viewer", std::nullopt}).status().code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(projects_->AddProject("vision", "").ok());
  EXPECT_TRUE(auth_->CreateToken({"ann", "", "vision", "viewer", std::nullopt}).ok());
}

}  // namespace
}  // namespace kiln::auth
