#include "cli/server_command.h"

#include <gtest/gtest.h>

namespace kiln::cli {
namespace {

bool Allows(const std::string& host, std::optional<bool> flag = std::nullopt) {
  ServerFlags flags;
  flags.host = host;
  flags.allow_remote_commands = flag;
  return AllowsRemoteCommands(flags);
}

TEST(ServerCommandTest, RemoteCommandsDefaultToOnOnlyOnLoopback) {
  for (const char* host : {"127.0.0.1", "127.0.0.2", "127.255.0.9", "::1", "localhost"}) {
    EXPECT_TRUE(Allows(host)) << host;
  }
  for (const char* host :
       {"0.0.0.0", "::", "10.0.0.5", "192.168.1.2", "2001:db8::1", "example.com", "128.0.0.1"}) {
    EXPECT_FALSE(Allows(host)) << host;
  }
}

TEST(ServerCommandTest, TheFlagWinsOverTheDefault) {
  EXPECT_FALSE(Allows("127.0.0.1", false));
  EXPECT_TRUE(Allows("0.0.0.0", true));
}

}  // namespace
}  // namespace kiln::cli
