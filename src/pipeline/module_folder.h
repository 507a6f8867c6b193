// Module folders: a folder holding module.yaml and the module's files (scripts, data).
// The files digest identifies a module's content wherever it sits: SHA-256 over the header
// "kiln-module-files-v1\n" and then, sorted by relative path, one line per file
// "<path>\t<x|->\t<sha256 of contents>\n" (x = executable by its owner). module.yaml is one of
// the files. Hidden entries (names starting with '.', e.g. .git) and __pycache__ folders are
// skipped. Symlinks to files inside the folder are read as the file they point to; symlinks
// leaving the folder, symlinks to folders and special files are refused. All functions are
// thread-safe (they share no state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pipeline/module_manifest.h"

namespace kiln::pipeline {

// A module file held in memory, as it is published.
struct ModuleFile {
  std::string path;  // relative, '/'-separated
  std::string bytes;
  bool executable = false;
};

// What the files digest covers of one file.
struct ModuleFileHash {
  std::string path;  // relative, '/'-separated
  bool executable = false;
  std::string sha256;  // lowercase hex of the contents
};

// A file found on disk by WalkModuleFolder.
struct ModuleFolderEntry {
  std::string path;      // relative, '/'-separated
  std::string absolute;  // where to read it (may be a symlink to a file inside the folder)
  bool executable = false;
};

// The files digest of `files` (any order). Pure function.
std::string ComputeFilesDigest(std::vector<ModuleFileHash> files);
// The files digest of in-memory files; equal to LoadModuleFolder's for the same files.
std::string ComputeFilesDigest(const std::vector<ModuleFile>& files);

// True when the folder walk would skip `relative_path`: a segment starting with '.' or a
// "__pycache__" folder. Pure function.
bool IsSkippedModulePath(std::string_view relative_path);

// How far hashing files goes. The defaults hash every file's contents (module folders).
struct FileHashLimits {
  size_t max_files = SIZE_MAX;  // more files than this in one folder is an error
  // Files larger than this are identified by size and modification time instead of contents
  // (ModuleFileHash::sha256 then reads "size=N mtime_ns=T").
  int64_t max_content_bytes = INT64_MAX;
};

// The hash entry of one file (not a folder) at `absolute`, named `relative` in the digest.
// Errors: kNotFound (missing or not a regular file), kInternal on I/O.
Result<ModuleFileHash> HashOneFile(const std::string& absolute, const std::string& relative,
                                   const FileHashLimits& limits = {});

// The hash entries of every file of folder `dir` (as WalkModuleFolder finds them), their paths
// prefixed with `prefix` + "/" unless `prefix` is empty. Errors: as WalkModuleFolder and
// HashOneFile; kInvalidArgument when the folder holds more than limits.max_files files.
Result<std::vector<ModuleFileHash>> HashFolderFiles(const std::string& dir,
                                                    const std::string& prefix = "",
                                                    const FileHashLimits& limits = {});

// The files of folder `dir`, sorted by path, with the skipping and symlink rules above.
// Errors: kNotFound when `dir` is not a folder, kInvalidArgument naming a symlink that leaves
// the folder, a symlink to a folder, a special file or an unsafe name; kInternal on I/O.
Result<std::vector<ModuleFolderEntry>> WalkModuleFolder(const std::string& dir);

// Every file of folder `dir` read into memory (for publishing). Errors: as WalkModuleFolder.
Result<std::vector<ModuleFile>> ReadModuleFiles(const std::string& dir);

// Reads DIR/module.yaml and fills source_dir (absolute, canonical) and files_digest.
// Errors: kNotFound when `dir` is not a folder; kInvalidArgument "'DIR/module.yaml' not found"
// when the manifest is missing, or the parser's "DIR/module.yaml:<line>:<col>: ..."; the
// errors of WalkModuleFolder.
Result<ModuleManifest> LoadModuleFolder(const std::string& dir);

// Every module under `root`, at any depth: a folder holding module.yaml is loaded with
// LoadModuleFolder and not searched further; hidden folders and __pycache__ are skipped;
// symlinked folders are followed (up to 16 levels deep). Sorted by source_dir. A missing root
// gives an empty list. Errors: those of LoadModuleFolder; kInvalidArgument when `root` is not
// a folder, or when two folders declare the same name@version (naming both).
Result<std::vector<ModuleManifest>> ScanModuleRoot(const std::string& root);

}  // namespace kiln::pipeline
