#include "exec/pipeline_folders.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <system_error>

namespace kiln::exec {
namespace fs = std::filesystem;
namespace {

bool IsWithin(const fs::path& path, const fs::path& root) {
  const auto root_end = std::mismatch(root.begin(), root.end(), path.begin(), path.end()).first;
  // A trailing separator in `root` leaves an empty last component.
  return root_end == root.end() || (std::next(root_end) == root.end() && root_end->empty());
}

// The pipeline folder with symbolic links resolved. Errors: as ResolveInputFile.
Result<fs::path> CanonicalFolder(const std::string& base_dir, const std::string& quoted) {
  if (base_dir.empty() || !fs::path(base_dir).is_absolute()) {
    return InvalidArgument("the pipeline has no folder to read " + quoted + " from");
  }
  std::error_code ec;
  fs::path root = fs::weakly_canonical(base_dir, ec);
  if (ec) return InvalidArgument("the pipeline's folder cannot be read (" + ec.message() + ")");
  return root;
}

// `path` inside `root` (canonical). Errors: as ResolveInputFile.
Result<std::string> ResolveUnder(const std::string& base_dir, const fs::path* root,
                                 const std::string& path) {
  const std::string quoted = "'" + path + "'";
  const fs::path given(path);
  if (given.is_absolute()) {
    return InvalidArgument(quoted +
                           " is an absolute path; a file input names a file or folder inside "
                           "the pipeline's folder, relative to it");
  }
  const fs::path normal = given.lexically_normal();
  if (!normal.empty() && *normal.begin() == "..") {
    return InvalidArgument(quoted + " climbs out of the pipeline's folder; a file input names a " +
                           "file or folder inside it");
  }
  fs::path canonical_root;
  if (root == nullptr) {
    KILN_ASSIGN_OR_RETURN(canonical_root, CanonicalFolder(base_dir, quoted));
    root = &canonical_root;
  }
  std::error_code ec;
  const fs::path target = fs::weakly_canonical(*root / normal, ec);
  if (ec) return InvalidArgument(quoted + " cannot be read (" + ec.message() + ")");
  if (!IsWithin(target, *root)) {
    return InvalidArgument(quoted +
                           " leads out of the pipeline's folder through a symbolic link; a file "
                           "input names a file or folder inside it");
  }
  return target.string();
}

}  // namespace

Result<std::string> ResolveInputFile(const std::string& base_dir, const std::string& path) {
  return ResolveUnder(base_dir, nullptr, path);
}

Status CheckInputFiles(const pipeline::ResolvedPipeline& pipeline, const std::string& base_dir) {
  // Big pipelines read the same few files from many steps: resolve each path once.
  std::map<std::string, Status> checked;
  std::optional<Result<fs::path>> root;
  for (const pipeline::ResolvedStep& step : pipeline.steps) {
    for (const auto& [name, binding] : step.inputs) {
      if (binding.kind != pipeline::Binding::Kind::kFile) continue;
      auto [it, fresh] = checked.try_emplace(binding.path);
      if (fresh) {
        if (!root) root = CanonicalFolder(base_dir, "'" + binding.path + "'");
        it->second = root->ok() ? ResolveUnder(base_dir, &root->value(), binding.path).status()
                                : root->status();
      }
      if (!it->second.ok()) {
        return pipeline::MarkedError(pipeline.spec.file, binding.mark,
                                     "steps." + step.name + ".inputs." + name,
                                     it->second.message());
      }
    }
  }
  return Status::Ok();
}

Status CheckPipelineRoot(const std::string& base_dir, const std::vector<std::string>& roots) {
  std::error_code ec;
  const fs::path folder = fs::weakly_canonical(base_dir, ec);
  for (const std::string& root : roots) {
    std::error_code root_ec;
    const fs::path canonical_root = fs::weakly_canonical(root, root_ec);
    if (!ec && !root_ec && IsWithin(folder, canonical_root)) return Status::Ok();
  }
  return Status(StatusCode::kPermissionDenied,
                "base_dir '" + base_dir +
                    "' is outside the folders this server accepts pipelines from (by default "
                    "only <data folder>/pipelines); start the server with " +
                    kPipelineRootsFlag + " covering it");
}

}  // namespace kiln::exec
