#include "cli/log_setup.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>

namespace kiln::cli {
namespace {

// The escape of the character starting at text[i] (its length in `size`), or "" to keep it.
std::string_view EscapeAt(std::string_view text, size_t i, size_t& size, char (&hex)[8]) {
  const auto c = static_cast<unsigned char>(text[i]);
  size = 1;
  if (c == '\n') return "\\n";
  if (c == '\r') return "\\r";
  if ((c < 0x20 && c != '\t') || c == 0x7f) {
    std::snprintf(hex, sizeof hex, "\\x%02x", c);
    return hex;
  }
  // U+0085 (NEL) is C2 85; U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
  if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x85) {
    size = 2;
    return "\\u0085";
  }
  if (c == 0xe2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
    const auto last = static_cast<unsigned char>(text[i + 2]);
    if (last == 0xa8 || last == 0xa9) {
      size = 3;
      return last == 0xa8 ? "\\u2028" : "\\u2029";
    }
  }
  return {};
}

// A quick look for the bytes that may start an escape: most lines have none.
bool NeedsEscape(std::string_view text) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7f || c == 0xc2 || c == 0xe2) return true;
  }
  return false;
}

// The %v of the pattern, escaped.
class EscapedPayload : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string_view payload(message.payload.data(), message.payload.size());
    if (!NeedsEscape(payload)) {
      dest.append(payload.data(), payload.data() + payload.size());
      return;
    }
    std::string escaped;
    AppendEscapedForLog(payload, escaped);
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedPayload>();
  }
};

// The %v of the pattern as the inside of a JSON string.
class JsonPayload : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string escaped;
    AppendJsonEscaped(std::string_view(message.payload.data(), message.payload.size()), escaped);
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonPayload>();
  }
};

}  // namespace

void AppendJsonEscaped(std::string_view text, std::string& out) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\u%04x", c);
      out += hex;
    } else {
      out += ch;
    }
  }
}

void AppendEscapedForLog(std::string_view text, std::string& out) {
  char hex[8];
  size_t kept = 0;  // start of the run of characters kept as they are
  for (size_t i = 0; i < text.size();) {
    size_t size = 1;
    const std::string_view escape = EscapeAt(text, i, size, hex);
    if (escape.empty()) {
      i += size;
      continue;
    }
    out.append(text.substr(kept, i - kept));
    out.append(escape);
    i += size;
    kept = i;
  }
  out.append(text.substr(kept));
}

std::unique_ptr<spdlog::formatter> MakeLogFormatter() {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<EscapedPayload>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %*");
  return formatter;
}

std::unique_ptr<spdlog::formatter> MakeJsonLogFormatter() {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<JsonPayload>('*').set_pattern(
      R"({"time":"%Y-%m-%dT%H:%M:%S.%e","level":"%l","message":"%*"})");
  return formatter;
}

void UseLogFormat(const std::string& format) {
  spdlog::default_logger()->set_formatter(format == "json" ? MakeJsonLogFormatter()
                                                           : MakeLogFormatter());
}

void SetUpLogging() {
  auto logger = spdlog::stderr_color_mt("kiln");
  logger->set_formatter(MakeLogFormatter());
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace kiln::cli
