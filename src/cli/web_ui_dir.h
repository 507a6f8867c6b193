// Where `kiln server` finds the built web UI when --ui-dir is not given.
#pragma once

#include <string>

namespace kiln::cli {

// The first of $KILN_UI_DIR, <exe dir>/../web/dist (a source checkout's build/kiln) and
// <exe dir>/../share/kiln/web (an installed kiln) that holds index.html; "" when none does.
std::string FindWebUiDir();

// As FindWebUiDir, with the executable's folder and $KILN_UI_DIR given (for tests).
std::string FindWebUiDir(const std::string& exe_dir, const char* env_dir);

}  // namespace kiln::cli
