// Log lines cannot be forged: whatever a message quotes, it stays one line.
#include "cli/log_setup.h"

#include <gtest/gtest.h>
#include <spdlog/details/log_msg.h>

#include <string>

namespace kiln::cli {
namespace {

std::string Escaped(std::string_view text) {
  std::string out;
  AppendEscapedForLog(text, out);
  return out;
}

TEST(LogEscapeTest, EscapesLineBreaksAndControls) {
  EXPECT_EQ(Escaped("plain text, with tabs\tand UTF-8 caf\xc3\xa9"),
            "plain text, with tabs\tand UTF-8 caf\xc3\xa9");
  EXPECT_EQ(Escaped("a\nb\rc"), "a\\nb\\rc");
  EXPECT_EQ(Escaped(std::string("nul\0esc\x1b[31mdel\x7f", 16)), "nul\\x00esc\\x1b[31mdel\\x7f");
  EXPECT_EQ(Escaped("nel\xc2\x85ls\xe2\x80\xa8ps\xe2\x80\xa9"), "nel\\u0085ls\\u2028ps\\u2029");
  EXPECT_EQ(Escaped("\xe2\x80\x94 dash kept"), "\xe2\x80\x94 dash kept");
  EXPECT_EQ(Escaped("trailing \xe2\x80"), "trailing \xe2\x80");
}

TEST(LogEscapeTest, AFormattedMessageStaysOneLine) {
  std::unique_ptr<spdlog::formatter> formatter = MakeLogFormatter();
  const std::string payload =
      "param 'p' = 'x\n2026-01-01T00:00:00.000 info POST /api/v1/admin 200 0.1'";
  spdlog::details::log_msg message("kiln", spdlog::level::info, payload);
  spdlog::memory_buf_t out;
  formatter->format(message, out);
  const std::string line(out.data(), out.size());
  ASSERT_TRUE(line.ends_with("\n"));
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
  EXPECT_NE(line.find("'x\\n2026-01-01T00:00:00.000 info POST"), std::string::npos) << line;
  EXPECT_NE(line.find(" info "), std::string::npos) << line;
}

}  // namespace
}  // namespace kiln::cli
