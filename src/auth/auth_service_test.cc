#include "auth/auth_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/base64.h"

namespace kiln::auth {
namespace {

namespace fs = std::filesystem;

std::string Basic(const std::string& user, const std::string& password) {
  return "Basic " + EncodeBase64(user + ":" + password);
}

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_auth_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    store_ = Open();
    auth_ = MakeService(*store_);
    ASSERT_TRUE(auth_->AddUser("ann", "ann-password", false).ok());
  }
  void TearDown() override {
    auth_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::unique_ptr<store::MetaStore> Open() {
    auto opened = store::OpenSqliteStore((dir_ / "kiln.db").string());
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return std::move(*opened);
  }
  std::unique_ptr<AuthService> MakeService(store::MetaStore& store) {
    AuthOptions options;
    options.scrypt = ScryptParams{10, 8, 1};  // cheap: these tests are about the logic
    options.now_ms = [this] { return now_ms_; };
    options.limits = LoginLimits{5, std::chrono::seconds(60), 1000};
    auto made = AuthService::Make(store, options);
    EXPECT_TRUE(made.ok());
    return std::move(*made);
  }
  std::string Token(TokenRequest request) {
    Result<CreatedToken> created = auth_->CreateToken(request);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->secret : "";
  }
  // The error of authenticating `header`, checked to be kUnauthenticated and free of `secret`.
  std::string Refusal(const std::string& header, const std::string& secret,
                      const std::string& peer = "") {
    Result<std::optional<Identity>> who = auth_->Authenticate(header, peer);
    EXPECT_EQ(who.status().code(), StatusCode::kUnauthenticated) << header;
    EXPECT_EQ(who.status().message().find(secret), std::string::npos) << who.status().message();
    return who.status().message();
  }

  fs::path dir_;
  int64_t now_ms_ = 1'700'000'000'000;
  std::unique_ptr<store::MetaStore> store_;
  std::unique_ptr<AuthService> auth_;
};

TEST_F(AuthServiceTest, AddsAndListsUsersAndRefusesBadOnes) {
  ASSERT_TRUE(auth_->AddUser("root", "root-password", true).ok());
  Result<std::vector<UserInfo>> users = auth_->ListUsers();
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "ann");
  EXPECT_FALSE((*users)[0].admin);
  EXPECT_TRUE((*users)[1].admin);
  EXPECT_EQ(*auth_->CountUsers(), 2);
  EXPECT_EQ(auth_->AddUser("ann", "another-one", false).code(), StatusCode::kAlreadyExists);
  Status odd = auth_->AddUser("a:b", "password1", false);
  EXPECT_EQ(odd.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(odd.message().find("'a:b'"), std::string::npos);
  EXPECT_EQ(auth_->AddUser("", "password1", false).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(auth_->AddUser("bob", "short", false).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*auth_->CountUsers(), 2);
}

TEST_F(AuthServiceTest, NoHeaderIsAnonymous) {
  Result<std::optional<Identity>> who = auth_->Authenticate("", "10.0.0.1");
  ASSERT_TRUE(who.ok());
  EXPECT_FALSE(who->has_value());
}

TEST_F(AuthServiceTest, BearerTokenGivesTheNarrowedIdentity) {
  const std::string token = Token({"ann", "ci", "default", "viewer", std::nullopt});
  Result<std::optional<Identity>> who = auth_->Authenticate("Bearer " + token, "10.0.0.1");
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  ASSERT_TRUE(who->has_value());
  EXPECT_EQ((*who)->user, "ann");
  EXPECT_FALSE((*who)->admin);
  EXPECT_EQ((*who)->project, "default");
  EXPECT_EQ((*who)->role, "viewer");
}

TEST_F(AuthServiceTest, BasicTakesAPasswordOrTheUsersToken) {
  Result<std::optional<Identity>> who = auth_->Authenticate(Basic("ann", "ann-password"));
  ASSERT_TRUE(who.ok() && who->has_value()) << who.status().ToString();
  EXPECT_EQ((*who)->user, "ann");
  EXPECT_EQ((*who)->role, "");
  const std::string token = Token({"ann", "", "", "", std::nullopt});
  who = auth_->Authenticate(Basic("ann", token));
  ASSERT_TRUE(who.ok() && who->has_value()) << who.status().ToString();
  ASSERT_TRUE(auth_->AddUser("bob", "bob-password", false).ok());
  EXPECT_NE(Refusal(Basic("bob", token), token).find("does not belong"), std::string::npos);
}

TEST_F(AuthServiceTest, RefusesBadCredentialsWithoutLeakingThem) {
  const std::string token = Token({"ann", "", "", "", std::nullopt});
  EXPECT_EQ(Refusal(Basic("ann", "wrong-password"), "wrong-password"),
            "wrong user name or password");
  EXPECT_EQ(Refusal(Basic("nobody", "ann-password"), "ann-password"),
            "wrong user name or password");
  std::string unknown = token;
  unknown[20] = unknown[20] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Refusal("Bearer " + unknown, unknown), "unknown token");
  Refusal("Bearer not-a-token", "not-a-token");
  Refusal("Bearer " + std::string(5000, 'x'), std::string(100, 'x'));
  Refusal("Digest " + token, token);
}

TEST_F(AuthServiceTest, CreateTokenRefusesBadInputAndChangesNothing) {
  EXPECT_EQ(auth_->CreateToken({"nobody", "", "", "", std::nullopt}).status().code(),
            StatusCode::kNotFound);
  Status role = auth_->CreateToken({"ann", "", "", "boss", std::nullopt}).status();
  EXPECT_EQ(role.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(role.message().find("'boss'"), std::string::npos);
  EXPECT_EQ(auth_->CreateToken({"ann", "", "a b", "", std::nullopt}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(auth_->CreateToken({"ann", "", "", "", now_ms_ - 1}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(auth_->ListTokens()->empty());
}

TEST_F(AuthServiceTest, RevocationInAnotherProcessTakesEffectOnTheNextRequest) {
  const std::string token = Token({"ann", "laptop", "", "", std::nullopt});
  ASSERT_TRUE(auth_->Authenticate("Bearer " + token).ok());
  // A second store and service over the same file, as `kiln tokens revoke` beside a server.
  std::unique_ptr<store::MetaStore> other_store = Open();
  std::unique_ptr<AuthService> other = MakeService(*other_store);
  Result<std::vector<TokenInfo>> listed = other->ListTokens("ann");
  ASSERT_TRUE(listed.ok() && listed->size() == 1u);
  const TokenInfo info = (*listed)[0];
  EXPECT_EQ(info.prefix, token.substr(0, 13));
  Result<TokenInfo> revoked = other->RevokeToken(info.prefix);
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_NE(Refusal("Bearer " + token, token).find("revoked"), std::string::npos);
  EXPECT_EQ(other->RevokeToken(info.token_id).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(other->RevokeToken("kiln_nothing").status().code(), StatusCode::kNotFound);
}

TEST_F(AuthServiceTest, ExpiredTokensAreRefused) {
  const std::string token = Token({"ann", "", "", "", now_ms_ + 1000});
  ASSERT_TRUE(auth_->Authenticate("Bearer " + token).ok());
  now_ms_ += 1000;
  EXPECT_NE(Refusal("Bearer " + token, token).find("expired"), std::string::npos);
}

TEST_F(AuthServiceTest, DisablingAUserStopsItsPasswordAndTokens) {
  const std::string token = Token({"ann", "", "", "", std::nullopt});
  ASSERT_TRUE(auth_->Authenticate(Basic("ann", "ann-password")).ok());  // now cached
  ASSERT_TRUE(auth_->DisableUser("ann").ok());
  EXPECT_NE(Refusal(Basic("ann", "ann-password"), "ann-password").find("disabled"),
            std::string::npos);
  EXPECT_NE(Refusal("Bearer " + token, token).find("disabled"), std::string::npos);
  EXPECT_EQ(auth_->DisableUser("nobody").code(), StatusCode::kNotFound);
}

TEST_F(AuthServiceTest, APasswordResetEndsCachedLoginsWithTheOldOne) {
  ASSERT_TRUE(auth_->Authenticate(Basic("ann", "ann-password")).ok());  // now cached
  std::unique_ptr<store::MetaStore> other_store = Open();
  ASSERT_TRUE(MakeService(*other_store)->SetPassword("ann", "new-password").ok());
  Refusal(Basic("ann", "ann-password"), "ann-password");
  EXPECT_TRUE(auth_->Authenticate(Basic("ann", "new-password")).ok());
  EXPECT_EQ(auth_->SetPassword("nobody", "new-password").code(), StatusCode::kNotFound);
}

TEST_F(AuthServiceTest, RateLimitsFailedPasswordsPerUserAndAddress) {
  for (int i = 0; i < 5; ++i) {
    Refusal(Basic("ann", "guess" + std::to_string(i) + "xx"), "guess", "10.0.0.1");
  }
  Result<std::optional<Identity>> blocked =
      auth_->Authenticate(Basic("ann", "ann-password"), "10.0.0.2");
  EXPECT_EQ(blocked.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(blocked.status().message().find("try again in"), std::string::npos);
  ASSERT_TRUE(auth_->AddUser("bob", "bob-password", false).ok());
  // 10.0.0.1 made the five failures, so it is blocked too; bob from elsewhere is not.
  EXPECT_EQ(auth_->Authenticate(Basic("bob", "bob-password"), "10.0.0.1").status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_TRUE(auth_->Authenticate(Basic("bob", "bob-password"), "10.0.0.2").ok());
  // Ann's tokens still work from another address: tokens cannot be guessed.
  const std::string token = Token({"ann", "", "", "", std::nullopt});
  EXPECT_TRUE(auth_->Authenticate("Bearer " + token, "10.0.0.2").ok());
  // ... and from the blocked address: only password attempts are limited there, so a client
  // with a bad token cannot lock out the other clients behind the same address.
  EXPECT_TRUE(auth_->Authenticate("Bearer " + token, "10.0.0.1").ok());
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(
        auth_->Authenticate("Bearer kiln_" + std::string(43, 'x'), "10.0.0.3").status().code(),
        StatusCode::kUnauthenticated);
    EXPECT_EQ(auth_->Authenticate("Bearer", "10.0.0.3").status().code(),
              StatusCode::kUnauthenticated);
  }
  EXPECT_TRUE(auth_->Authenticate(Basic("bob", "bob-password"), "10.0.0.3").ok());
}

TEST_F(AuthServiceTest, RecordsLastUseAtMostOncePerInterval) {
  const std::string token = Token({"ann", "", "", "", std::nullopt});
  ASSERT_TRUE(auth_->Authenticate("Bearer " + token).ok());
  EXPECT_EQ((*auth_->ListTokens())[0].last_used_ms, now_ms_);
  const int64_t first = now_ms_;
  now_ms_ += 30'000;
  ASSERT_TRUE(auth_->Authenticate("Bearer " + token).ok());
  EXPECT_EQ((*auth_->ListTokens())[0].last_used_ms, first);
  now_ms_ += 30'000;
  ASSERT_TRUE(auth_->Authenticate("Bearer " + token).ok());
  EXPECT_EQ((*auth_->ListTokens())[0].last_used_ms, now_ms_);
}

TEST_F(AuthServiceTest, StoresNoSecret) {
  const std::string token = Token({"ann", "", "", "", std::nullopt});
  std::string dump;
  ASSERT_TRUE(store_
                  ->Read([&](store::Session& session) -> Status {
                    for (const char* table : {"users", "tokens"}) {
                      KILN_ASSIGN_OR_RETURN(store::Rows rows,
                                            session.Query(std::string("SELECT * FROM ") + table));
                      for (const store::Row& row : rows) {
                        for (size_t i = 0; i < row.size(); ++i) dump += row.Text(i) + "|";
                      }
                    }
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(dump.find("ann-password"), std::string::npos);
  EXPECT_EQ(dump.find(token), std::string::npos);
  EXPECT_NE(dump.find(token.substr(0, 13)), std::string::npos);
}

}  // namespace
}  // namespace kiln::auth
