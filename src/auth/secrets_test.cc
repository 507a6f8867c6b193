#include "auth/secrets.h"

#include <gtest/gtest.h>

#include "auth/password_hash.h"
#include "common/base64.h"

namespace kiln::auth {
namespace {

TEST(SecretsTest, TokensAreRandomMarkedAndStoredAsHashes) {
  Result<NewToken> a = MakeToken();
  Result<NewToken> b = MakeToken();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->secret, b->secret);
  EXPECT_EQ(a->secret.size(), 48u);
  EXPECT_EQ(a->secret.rfind("kiln_", 0), 0u);
  EXPECT_TRUE(LooksLikeToken(a->secret));
  EXPECT_EQ(a->prefix, a->secret.substr(0, 13));
  EXPECT_EQ(a->hash, Sha256Hex(a->secret));
  EXPECT_EQ(a->hash.size(), 64u);
  EXPECT_EQ(a->hash.find(a->secret), std::string::npos);
  EXPECT_FALSE(LooksLikeToken("kiln_short"));
  EXPECT_FALSE(LooksLikeToken(a->secret.substr(0, 47) + "="));
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SecretsTest, ConstantTimeEqualsComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(SecretsTest, GeneratedPasswordsAreLongAndDifferent) {
  Result<std::string> a = MakePassword();
  Result<std::string> b = MakePassword();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 24u);
  EXPECT_NE(*a, *b);
}

const ScryptParams kCheap{10, 8, 1};

TEST(PasswordHashTest, VerifiesOnlyTheRightPassword) {
  Result<std::string> hash = HashPassword("correct horse", kCheap);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("scrypt$ln=10,r=8,p=1$", 0), 0u);
  EXPECT_EQ(hash->find("correct"), std::string::npos);
  EXPECT_TRUE(*VerifyPassword("correct horse", *hash));
  EXPECT_FALSE(*VerifyPassword("correct horsf", *hash));
  EXPECT_FALSE(*VerifyPassword("", *hash));
}

TEST(PasswordHashTest, SaltsEachHash) {
  Result<std::string> a = HashPassword("same password", kCheap);
  Result<std::string> b = HashPassword("same password", kCheap);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(PasswordHashTest, DefaultsToOwaspScryptParameters) {
  Result<std::string> hash = HashPassword("a strong password");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  Result<ScryptParams> params = ParamsOf(*hash);
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(params->log2_n, 17);
  EXPECT_EQ(params->r, 8);
  EXPECT_EQ(params->p, 1);
  EXPECT_TRUE(*VerifyPassword("a strong password", *hash));
}

TEST(PasswordHashTest, RefusesMalformedHashesAndParameters) {
  for (const char* bad : {"", "scrypt", "bcrypt$ln=10,r=8,p=1$AAAA$AAAA",
                          "scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
                          "scrypt$ln=10,r=8,p=1,x=2$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
                          "scrypt$ln=10,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$short"}) {
    Result<bool> verified = VerifyPassword("password", bad);
    EXPECT_EQ(verified.status().code(), StatusCode::kInternal) << bad;
  }
  EXPECT_EQ(HashPassword("x", ScryptParams{40, 8, 1}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kiln::auth
