// `kiln data add|ls|versions|get`: versioned datasets from the command line, over the native
// API (in-process against --data DIR, or over HTTP against --server URL).
#pragma once

#include <string>

#include "cli/api_caller.h"
#include "cli/query_commands.h"

namespace CLI {
class App;
}  // namespace CLI

namespace kiln::cli {

// Registers the `data` command group on `app`; the command that runs stores its exit code in
// `rc`, which must outlive parsing. Not thread-safe (CLI setup).
void AddDataCommands(CLI::App& app, int& rc);

struct DataAddFlags {
  std::string input;  // a file or a folder
  std::string name;
  std::string description;
};

// Hashes the input, uploads the blobs the store lacks and records a version; prints
// "added NAME@V (...)" or "NAME@V unchanged (...)". Exit 0, 2 for a bad name or input.
int AddDataset(ApiCaller& api, const DataAddFlags& flags, const OutputFlags& out);
// Prints every dataset with its latest version.
int ListDatasets(ApiCaller& api, const OutputFlags& out);
// Prints the versions of dataset `name`, newest first. Exit 2 for an unknown dataset.
int ListDatasetVersions(ApiCaller& api, const std::string& name, const OutputFlags& out);
// Writes dataset `ref` (NAME@VERSION, NAME@latest or NAME) to `output` (a file, or a folder
// for folder datasets; default: the original file name, or NAME). Refuses an existing path.
int GetDataset(ApiCaller& api, const std::string& ref, const std::string& output);

}  // namespace kiln::cli
