#include "auth/authorization.h"

#include <gtest/gtest.h>

#include "common/base64.h"

namespace kiln::auth {
namespace {

std::string Basic(const std::string& user_password) {
  return "Basic " + EncodeBase64(user_password);
}

TEST(AuthorizationTest, EmptyHeaderIsAnonymous) {
  Result<std::optional<Credentials>> parsed = ParseAuthorization("");
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->has_value());
}

TEST(AuthorizationTest, ParsesBearerAndBasicCaseInsensitively) {
  Result<std::optional<Credentials>> bearer = ParseAuthorization("bearer  tok123 ");
  ASSERT_TRUE(bearer.ok() && bearer->has_value());
  EXPECT_FALSE((*bearer)->basic);
  EXPECT_EQ((*bearer)->secret, "tok123");
  Result<std::optional<Credentials>> basic = ParseAuthorization(Basic("ann:pa:ss word"));
  ASSERT_TRUE(basic.ok() && basic->has_value());
  EXPECT_TRUE((*basic)->basic);
  EXPECT_EQ((*basic)->user, "ann");
  EXPECT_EQ((*basic)->secret, "pa:ss word");  // only the first colon separates
}

TEST(AuthorizationTest, RefusesMalformedHeadersWithoutEchoingSecrets) {
  const std::string secret = "s3cretvalue";
  for (const std::string& header :
       {std::string("Bearer"), std::string("Bearer "), "Bearer a " + secret, "Token " + secret,
        secret, "Basic " + secret + "!", Basic("no-colon" + secret), Basic(":" + secret),
        "Basic " + EncodeBase64Url("ann:" + secret).substr(1),
        "Bearer " + std::string(5000, 'a')}) {
    Result<std::optional<Credentials>> parsed = ParseAuthorization(header);
    ASSERT_FALSE(parsed.ok()) << header;
    EXPECT_EQ(parsed.status().code(), StatusCode::kUnauthenticated) << header;
    EXPECT_EQ(parsed.status().message().find(secret), std::string::npos)
        << parsed.status().message();
  }
  EXPECT_NE(ParseAuthorization("Bearer " + std::string(5000, 'a')).status().message().find("4096"),
            std::string::npos);
}

}  // namespace
}  // namespace kiln::auth
