#include "common/request_context.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace kiln {
namespace {

TEST(RequestContextTest, NewRequestIdsAreDistinctAndValid) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewRequestId();
    EXPECT_TRUE(IsValidRequestId(id)) << id;
    EXPECT_EQ(id[8], '-') << id;
    ids.insert(std::move(id));
  }
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(RequestContextTest, ValidRequestIdsAreShortPlainTokens) {
  EXPECT_TRUE(IsValidRequestId("abc-123_X.y:z"));
  EXPECT_TRUE(IsValidRequestId(std::string(64, 'a')));
  EXPECT_FALSE(IsValidRequestId(""));
  EXPECT_FALSE(IsValidRequestId(std::string(65, 'a')));
  EXPECT_FALSE(IsValidRequestId("a b"));
  EXPECT_FALSE(IsValidRequestId("a\r\nSet-Cookie: x"));
  EXPECT_FALSE(IsValidRequestId("<script>"));
}

TEST(RequestContextTest, InProcessHasAnIdAndNoPeerIdentityOrDeadline) {
  const RequestContext context = RequestContext::InProcess();
  EXPECT_TRUE(IsValidRequestId(context.request_id));
  EXPECT_TRUE(context.peer.empty());
  EXPECT_FALSE(context.identity.has_value());
  EXPECT_FALSE(context.Expired());
}

TEST(RequestContextTest, ExpiredOnceTheDeadlinePasses) {
  RequestContext context;
  context.deadline = RequestContext::Clock::now() - std::chrono::milliseconds(1);
  EXPECT_TRUE(context.Expired());
}

}  // namespace
}  // namespace kiln
