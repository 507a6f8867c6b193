#include "auth/login_limiter.h"

#include <gtest/gtest.h>

namespace kiln::auth {
namespace {

using std::chrono::seconds;

class LoginLimiterTest : public ::testing::Test {
 protected:
  LoginLimiter limiter_{LoginLimits{3, seconds(60), 100}, [this] { return now_; }};
  std::chrono::steady_clock::time_point now_{};
};

TEST_F(LoginLimiterTest, BlocksAUserAfterTheLimitAndSaysHowLongToWait) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(limiter_.Check("ann", "10.0.0.1").ok());
    limiter_.RecordFailure("ann", "");
    now_ += seconds(5);
  }
  Status blocked = limiter_.Check("ann", "10.0.0.1");
  EXPECT_EQ(blocked.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(blocked.message().find("user 'ann'"), std::string::npos) << blocked.message();
  EXPECT_NE(blocked.message().find("45 s"), std::string::npos) << blocked.message();
  // Other users and addresses are not affected.
  EXPECT_TRUE(limiter_.Check("bob", "10.0.0.1").ok());
  now_ += seconds(45);
  EXPECT_TRUE(limiter_.Check("ann", "10.0.0.1").ok());
}

TEST_F(LoginLimiterTest, BlocksAnAddressWhateverTheUser) {
  limiter_.RecordFailure("a", "10.0.0.9");
  limiter_.RecordFailure("b", "10.0.0.9");
  limiter_.RecordFailure("c", "10.0.0.9");
  Status blocked = limiter_.Check("d", "10.0.0.9");
  EXPECT_EQ(blocked.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(blocked.message().find("address 10.0.0.9"), std::string::npos);
  EXPECT_TRUE(limiter_.Check("d", "10.0.0.8").ok());
  EXPECT_TRUE(limiter_.Check("a", "").ok());
}

TEST_F(LoginLimiterTest, SuccessForgetsTheUsersFailuresButNotTheAddresss) {
  limiter_.RecordFailure("ann", "10.0.0.1");
  limiter_.RecordFailure("ann", "10.0.0.1");
  limiter_.RecordSuccess("ann");
  limiter_.RecordFailure("ann", "10.0.0.1");
  EXPECT_TRUE(limiter_.Check("ann", "").ok());
  EXPECT_EQ(limiter_.Check("", "10.0.0.1").code(), StatusCode::kResourceExhausted);
}

TEST_F(LoginLimiterTest, AWindowStartsAfresh) {
  limiter_.RecordFailure("ann", "");
  limiter_.RecordFailure("ann", "");
  now_ += seconds(61);
  limiter_.RecordFailure("ann", "");
  limiter_.RecordFailure("ann", "");
  EXPECT_TRUE(limiter_.Check("ann", "").ok());
}

TEST_F(LoginLimiterTest, StaysWithinItsMemoryBound) {
  for (int i = 0; i < 1000; ++i) limiter_.RecordFailure("user" + std::to_string(i), "");
  for (int i = 0; i < 3; ++i) limiter_.RecordFailure("last", "");
  EXPECT_EQ(limiter_.Check("last", "").code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace kiln::auth
