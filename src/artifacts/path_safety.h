// Internal helpers for artifact path checks (ValidateRelativePath is in artifact_store.h).
#pragma once

#include <string>
#include <string_view>

namespace kiln::artifacts {

// `path` in single quotes for error messages, with control bytes, backslashes and quotes
// escaped as \xNN so a NUL or newline cannot corrupt a log line. Never fails.
std::string QuotePath(std::string_view path);

}  // namespace kiln::artifacts
