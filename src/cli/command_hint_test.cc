#include "cli/command_hint.h"

#include <gtest/gtest.h>

namespace kiln::cli {
namespace {

TEST(ClosestWordTest, FindsLikelyTypos) {
  const std::vector<std::string> commands{"ls", "show", "predict"};
  EXPECT_EQ(ClosestWord("lss", commands), "ls");
  EXPECT_EQ(ClosestWord("sl", commands), "ls");  // swapped letters
  EXPECT_EQ(ClosestWord("shwo", commands), "show");
  EXPECT_EQ(ClosestWord("predcit", commands), "predict");
}

TEST(ClosestWordTest, NothingWhenNoneIsClose) {
  const std::vector<std::string> commands{"ls", "show"};
  EXPECT_EQ(ClosestWord("deploy", commands), "");
  EXPECT_EQ(ClosestWord("x", commands), "");  // one letter from "ls" is half the word
  EXPECT_EQ(ClosestWord("lss", {}), "");
}

TEST(UnknownCommandMessageTest, NamesTheWordTheSuggestionAndTheCommands) {
  EXPECT_EQ(UnknownCommandMessage("kiln runs", "lss", {"ls", "show"}),
            "unknown command 'lss' for 'kiln runs'; did you mean 'ls'? (commands: ls, show)");
  EXPECT_EQ(UnknownCommandMessage("kiln", "frobnicate", {"runs", "server"}),
            "unknown command 'frobnicate' for 'kiln' (commands: runs, server)");
  EXPECT_EQ(UnknownCommandMessage("kiln runs", "", {"ls", "show"}),
            "'kiln runs' needs a command (commands: ls, show)");
}

}  // namespace
}  // namespace kiln::cli
