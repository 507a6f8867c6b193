#include "common/text.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace kiln {
namespace {

using Parts = std::vector<std::string_view>;

TEST(TextTest, SplitOnKeepsEmptyPieces) {
  EXPECT_EQ(SplitOn("a,,b", ','), (Parts{"a", "", "b"}));
  EXPECT_EQ(SplitOn("", ','), (Parts{""}));
  EXPECT_EQ(SplitOn(",", ','), (Parts{"", ""}));
  EXPECT_EQ(SplitOn("scrypt$ln=17$salt$hash", '$'), (Parts{"scrypt", "ln=17", "salt", "hash"}));
}

TEST(TextTest, EqualsIgnoreCaseComparesAsciiLetters) {
  EXPECT_TRUE(EqualsIgnoreCase("Bearer", "bEARER"));
  EXPECT_FALSE(EqualsIgnoreCase("Bearer", "Bearer "));
  EXPECT_FALSE(EqualsIgnoreCase("abc", "abd"));
  EXPECT_TRUE(EqualsIgnoreCase("", ""));
}

}  // namespace
}  // namespace kiln
