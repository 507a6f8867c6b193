#include "auth/initial_admin.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/base64.h"

namespace kiln::auth {
namespace {

namespace fs = std::filesystem;

class InitialAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_admin_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto opened = store::OpenSqliteStore(dir_ + "/kiln.db");
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);
    AuthOptions options;
    options.scrypt = ScryptParams{10, 8, 1};
    auth_ = std::move(AuthService::Make(*store_, options)).value();
  }
  void TearDown() override {
    auth_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string File() const { return dir_ + "/initial-admin-password"; }

  std::string dir_;
  std::unique_ptr<store::MetaStore> store_;
  std::unique_ptr<AuthService> auth_;
};

TEST_F(InitialAdminTest, CreatesAdminWithAPrivatePasswordFileOnce) {
  Result<std::string> said = EnsureInitialAdmin(*auth_, dir_);
  ASSERT_TRUE(said.ok()) << said.status().ToString();
  EXPECT_EQ(*said, "initial admin password in " + File());
  struct stat info {};
  ASSERT_EQ(::stat(File().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::string password;
  std::getline(std::ifstream(File()), password);
  EXPECT_EQ(password.size(), 24u);
  EXPECT_EQ(said->find(password), std::string::npos);
  Result<std::optional<Identity>> who =
      auth_->Authenticate("Basic " + EncodeBase64("admin:" + password));
  ASSERT_TRUE(who.ok() && who->has_value()) << who.status().ToString();
  EXPECT_TRUE((*who)->admin);
  // A generated password (144 random bits) is hashed with the cheap parameters, so a server
  // starting on an empty store does not spend a slow KDF run on it.
  Result<store::Rows> rows = store::Rows();
  ASSERT_TRUE(store_
                  ->Read([&](store::Session& s) {
                    rows = s.Query("SELECT password_hash FROM users WHERE name = 'admin'");
                    return rows.status();
                  })
                  .ok());
  ASSERT_EQ(rows->size(), 1u);
  Result<ScryptParams> params = ParamsOf((*rows)[0].Text(0));
  ASSERT_TRUE(params.ok()) << params.status().ToString();
  EXPECT_EQ(params->log2_n, kGeneratedPasswordParams.log2_n);
  // Next start: users exist, nothing said, the file left alone.
  Result<std::string> again = EnsureInitialAdmin(*auth_, dir_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, "");
  std::string still;
  std::getline(std::ifstream(File()), still);
  EXPECT_EQ(still, password);
}

TEST_F(InitialAdminTest, NeverOverwritesAnExistingFile) {
  std::ofstream(File()) << "someone else's\n";
  Result<std::string> said = EnsureInitialAdmin(*auth_, dir_);
  EXPECT_EQ(said.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(said.status().message().find(File()), std::string::npos);
  std::string kept;
  std::getline(std::ifstream(File()), kept);
  EXPECT_EQ(kept, "someone else's");
  EXPECT_EQ(*auth_->CountUsers(), 0);
}

TEST_F(InitialAdminTest, DoesNothingWhenUsersExist) {
  ASSERT_TRUE(auth_->AddUser("ann", "ann-password", false).ok());
  Result<std::string> said = EnsureInitialAdmin(*auth_, dir_);
  ASSERT_TRUE(said.ok());
  EXPECT_EQ(*said, "");
  EXPECT_FALSE(fs::exists(File()));
}

}  // namespace
}  // namespace kiln::auth
