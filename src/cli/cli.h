// The kiln command line. Exit codes: 0 success, 1 internal or unavailable, 2 user error.
#pragma once

namespace kiln::cli {

// Parses argv and runs the chosen subcommand.
int Main(int argc, char** argv);

}  // namespace kiln::cli
