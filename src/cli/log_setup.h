// How the kiln binary logs: one line per message on stderr, with control characters in the
// message escaped so that no input quoted in a log line (a name, a path, a parameter) can end
// the line and forge the next one.
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string>
#include <string_view>

namespace kiln::cli {

// Appends `text` to `out` with line breaks and other control characters escaped: "\n", "\r",
// and "\xHH" for the other C0 controls and DEL, "\u0085", "\u2028", "\u2029" for the Unicode
// line breaks. Tabs and everything else are kept.
void AppendEscapedForLog(std::string_view text, std::string& out);

// The formatter of kiln's log lines: "TIME LEVEL MESSAGE" with MESSAGE escaped as
// AppendEscapedForLog does (and the level coloured on a terminal sink).
std::unique_ptr<spdlog::formatter> MakeLogFormatter();

// Appends `text` to `out` as the inside of a JSON string: '"', '\\' and control characters
// escaped.
void AppendJsonEscaped(std::string_view text, std::string& out);

// The formatter of JSON lines: {"time": ..., "level": ..., "message": ...}.
std::unique_ptr<spdlog::formatter> MakeJsonLogFormatter();

// Switches the default logger to "json" (JSON lines) or "text" (MakeLogFormatter). Call before
// threads log.
void UseLogFormat(const std::string& format);

// Makes the default logger "kiln" (stderr, coloured levels) with the pattern
// "TIME LEVEL MESSAGE" where MESSAGE is escaped as AppendEscapedForLog does.
void SetUpLogging();

}  // namespace kiln::cli
