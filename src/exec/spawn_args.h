// Helpers that prepare what a child process is started with: its program path, its
// environment and C-style string arrays. All are pure functions of their inputs apart from
// FindProgram, which looks at the file system; all are thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace kiln::exec {

// The text of an errno value, e.g. "No such file or directory". Thread-safe.
std::string ErrnoText(int err);

// The program to execute for `name`: `name` itself when it contains '/', else the first
// executable regular file named `name` in the ':'-separated `search_path` (empty entries are
// skipped). Errors: kNotFound whose message is the errno text (ENOENT, or EACCES when only
// non-executable files were found).
Result<std::string> FindProgram(const std::string& name, const std::string& search_path);

// The PATH to search: `overrides`' PATH if set, else the parent's, else "/usr/bin:/bin".
std::string SearchPath(const std::map<std::string, std::string>& overrides);

// "KEY=VALUE" entries: `parent` (a NULL-terminated environ) with `overrides` set on top.
std::vector<std::string> MergeEnvironment(const char* const* parent,
                                          const std::map<std::string, std::string>& overrides);

// Pointers to `strings` followed by nullptr, for argv/envp. Valid while `strings` lives
// unchanged.
std::vector<char*> CStringArray(std::vector<std::string>& strings);

}  // namespace kiln::exec
