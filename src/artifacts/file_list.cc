#include "artifacts/file_list.h"

#include <string>
#include <unordered_set>

#include "artifacts/artifact_store.h"
#include "artifacts/path_safety.h"

namespace kiln::artifacts {
namespace {

std::string Label(std::string_view field, size_t index) {
  std::string out(field);
  const size_t brackets = out.find("[]");
  if (brackets == std::string::npos) return out + " " + std::to_string(index);
  return out.replace(brackets, 2, "[" + std::to_string(index) + "]");
}

Status Invalid(std::string_view path, const std::string& why) {
  return InvalidArgument("invalid file path " + QuotePath(path) + ": " + why);
}

Status CheckShape(std::string_view path, const FileListLimits& limits) {
  if (path.size() > limits.max_path_bytes) {
    return Invalid(path.substr(0, 64), "longer than " + std::to_string(limits.max_path_bytes) +
                                           " bytes (first 64 shown)");
  }
  size_t depth = 0;
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end - start > limits.max_segment_bytes) {
      return Invalid(
          path, "a name is longer than " + std::to_string(limits.max_segment_bytes) + " bytes");
    }
    if (++depth > limits.max_depth) {
      return Invalid(path, "nested deeper than " + std::to_string(limits.max_depth) + " folders");
    }
    if (slash == std::string_view::npos) return Status::Ok();
    start = slash + 1;
  }
}

// A path may not be a file and a folder at once ("a" and "a/b").
Status CheckNoClash(const std::vector<FileListItem>& files, std::string_view field) {
  std::unordered_set<std::string_view> paths;
  for (const FileListItem& f : files) paths.insert(f.path);
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string_view path = files[i].path;
    for (size_t slash = path.find('/'); slash != std::string_view::npos;
         slash = path.find('/', slash + 1)) {
      if (paths.count(path.substr(0, slash))) {
        return InvalidArgument(Label(field, i) + ": " + QuotePath(path.substr(0, slash)) +
                               " is both a file and the folder of " + QuotePath(path));
      }
    }
  }
  return Status::Ok();
}

Status CheckNoDuplicate(const std::vector<FileListItem>& files, std::string_view field) {
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < files.size(); ++i) {
    if (!seen.insert(files[i].path).second) {
      return InvalidArgument(Label(field, i) + ": duplicate path " + QuotePath(files[i].path));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateFilePath(std::string_view path, const FileListLimits& limits) {
  if (path.empty()) return Invalid(path, "a file needs a name");
  KILN_RETURN_IF_ERROR(CheckShape(path, limits));
  // ValidateRelativePath accepts a trailing '/' (a folder); a file may not have one.
  if (path.back() == '/') return Invalid(path, "a file path may not end in '/'");
  Status safe = ValidateRelativePath(std::string(path));
  if (!safe.ok()) return InvalidArgument(safe.message());
  return Status::Ok();
}

Status ValidateFileList(const std::vector<FileListItem>& files, std::string_view field,
                        const FileListLimits& limits) {
  if (files.size() > limits.max_files) {
    return InvalidArgument(std::string(field.substr(0, field.find('['))) + ": at most " +
                           std::to_string(limits.max_files) + " files are allowed, got " +
                           std::to_string(files.size()));
  }
  int64_t total = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    Status path_ok = ValidateFilePath(files[i].path, limits);
    if (!path_ok.ok()) return InvalidArgument(Label(field, i) + ": " + path_ok.message());
    const int64_t size = files[i].size;
    if (size < 0) {
      return InvalidArgument(Label(field, i) + ": file " + QuotePath(files[i].path) +
                             " has a negative size");
    }
    if (size > limits.max_total_bytes - total) {
      return InvalidArgument(Label(field, i) + ": the files add up to more than " +
                             std::to_string(limits.max_total_bytes) + " bytes");
    }
    total += size;
  }
  KILN_RETURN_IF_ERROR(CheckNoDuplicate(files, field));
  return CheckNoClash(files, field);
}

}  // namespace kiln::artifacts
