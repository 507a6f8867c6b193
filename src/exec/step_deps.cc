#include "exec/step_deps.h"

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <optional>
#include <system_error>
#include <vector>

#include "exec/pipeline_folders.h"
#include "pipeline/module_folder.h"
#include "pipeline/placeholders.h"

namespace kiln::exec {
namespace fs = std::filesystem;
namespace {

// Longer command arguments are shell code or data, never a path worth a lookup.
constexpr size_t kMaxArgumentPath = 4096;

// A file or folder inside the pipeline folder.
struct Named {
  std::string absolute;  // symbolic links resolved
  std::string relative;  // to the pipeline folder, '/'-separated; "" for the folder itself
  bool is_dir = false;
};

// What `path` names inside the pipeline folder `base_dir`; nullopt when it leads outside the
// folder or names no file or folder.
std::optional<Named> FindInside(const std::string& base_dir, const std::string& path) {
  // Most arguments name nothing ("-c", "python3"): one stat answers them, before the checks.
  struct stat st;
  if (path.empty() || path[0] == '/' || ::stat((base_dir + "/" + path).c_str(), &st) != 0) {
    return std::nullopt;
  }
  Result<std::string> resolved = ResolveInputFile(base_dir, path);
  if (!resolved.ok() || ::stat(resolved->c_str(), &st) != 0) return std::nullopt;
  if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) return std::nullopt;
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(base_dir, ec);
  if (ec) return std::nullopt;
  std::string relative = fs::path(*resolved).lexically_relative(root).generic_string();
  if (relative == ".") relative.clear();
  return Named{*resolved, std::move(relative), S_ISDIR(st.st_mode)};
}

// The argument with ${params.X} filled in; nullopt when it holds any other placeholder or is
// too long to be a path.
std::optional<std::string> ArgumentText(const std::string& arg,
                                        const pipeline::ResolvedStep& step) {
  if (arg.empty() || arg.size() > kMaxArgumentPath) return std::nullopt;
  Result<std::string> text = pipeline::SubstitutePlaceholders(
      arg, [&step](const pipeline::Placeholder& p) -> Result<std::string> {
        auto it = step.params.find(p.name);
        if (p.scope != "params" || it == step.params.end()) return NotFound(p.name);
        return pipeline::ToString(it->second);
      });
  if (!text.ok() || text->empty() || text->size() > kMaxArgumentPath) return std::nullopt;
  return *std::move(text);
}

// What `step` names: its deps (`explicit_deps`) or its command's arguments. Errors: a deps
// path that names nothing inside the folder.
Result<std::map<std::string, Named>> NamedPaths(const pipeline::ResolvedStep& step,
                                                const std::string& base_dir, bool explicit_deps) {
  std::map<std::string, Named> named;
  if (explicit_deps) {
    for (const std::string& dep : step.deps) {
      std::optional<Named> found = FindInside(base_dir, dep);
      if (!found) {
        return InvalidArgument("step '" + step.name + "': deps path '" + dep +
                               "' is no longer a file or folder inside the pipeline's folder");
      }
      named.emplace(found->relative, *std::move(found));
    }
    return named;
  }
  if (step.module_ref != "inline") return named;  // modules run in their own, hashed folder
  for (const std::string& arg : step.command) {
    std::optional<std::string> text = ArgumentText(arg, step);
    if (!text) continue;
    std::optional<Named> found = FindInside(base_dir, *text);
    if (found && !found->relative.empty()) named.emplace(found->relative, *std::move(found));
  }
  return named;
}

// Adds the hashes of what `named` names to `files`. Errors: kInvalidArgument naming the path.
Status AddHashes(const Named& named, std::map<std::string, pipeline::ModuleFileHash>& files) {
  const pipeline::FileHashLimits limits{kMaxDepFiles, kMaxDepContentBytes};
  const std::string shown = "'" + (named.relative.empty() ? "." : named.relative) + "'";
  std::vector<pipeline::ModuleFileHash> hashes;
  if (named.is_dir) {
    Result<std::vector<pipeline::ModuleFileHash>> found =
        pipeline::HashFolderFiles(named.absolute, named.relative, limits);
    if (!found.ok()) return InvalidArgument(shown + ": " + found.status().message());
    hashes = *std::move(found);
  } else {
    Result<pipeline::ModuleFileHash> found =
        pipeline::HashOneFile(named.absolute, named.relative, limits);
    if (!found.ok()) return InvalidArgument(shown + ": " + found.status().message());
    hashes.push_back(*std::move(found));
  }
  for (pipeline::ModuleFileHash& hash : hashes) files[hash.path] = std::move(hash);
  if (files.size() > kMaxDepFiles) {
    return InvalidArgument(shown + " brings the files to hash over " +
                           std::to_string(kMaxDepFiles));
  }
  return Status::Ok();
}

Status HashNamed(const std::map<std::string, Named>& named,
                 std::map<std::string, pipeline::ModuleFileHash>& files) {
  for (const auto& [relative, item] : named) KILN_RETURN_IF_ERROR(AddHashes(item, files));
  return Status::Ok();
}

}  // namespace

Status CheckStepDeps(const pipeline::ResolvedPipeline& pipeline, const std::string& base_dir) {
  for (size_t s = 0; s < pipeline.spec.steps.size(); ++s) {
    const pipeline::StepSpec& step = pipeline.spec.steps[s];
    for (size_t i = 0; i < step.deps.size(); ++i) {
      const std::string& dep = step.deps[i];
      const pipeline::SourceMark mark = i < step.deps_marks.size() ? step.deps_marks[i] : step.mark;
      const std::string field = "steps." + step.name + ".deps[" + std::to_string(i) + "]";
      Result<std::string> resolved = ResolveInputFile(base_dir, dep);
      if (!resolved.ok()) {
        return pipeline::MarkedError(pipeline.spec.file, mark, field,
                                     "'" + dep +
                                         "' is not inside the pipeline's folder: deps name files "
                                         "or folders in it, relative to it");
      }
      if (!FindInside(base_dir, dep)) {
        return pipeline::MarkedError(pipeline.spec.file, mark, field,
                                     "'" + dep + "' does not exist in the pipeline's folder");
      }
    }
  }
  return Status::Ok();
}

Result<StepDeps> StepDepsDigest(const pipeline::ResolvedStep& step, const std::string& base_dir) {
  StepDeps deps;
  if (base_dir.empty()) return deps;
  std::map<std::string, pipeline::ModuleFileHash> files;
  KILN_ASSIGN_OR_RETURN(auto declared, NamedPaths(step, base_dir, true));
  Status hashed = HashNamed(declared, files);
  if (!hashed.ok()) {
    return InvalidArgument("step '" + step.name + "': deps " + hashed.message() +
                           "; bind big folders as inputs (file:PATH) or set cache: false");
  }
  KILN_ASSIGN_OR_RETURN(auto arguments, NamedPaths(step, base_dir, false));
  hashed = HashNamed(arguments, files);
  if (!hashed.ok()) {
    deps.uncacheable = "command argument " + hashed.message();
    return deps;
  }
  if (declared.empty() && arguments.empty()) return deps;
  std::vector<pipeline::ModuleFileHash> list;
  list.reserve(files.size());
  for (auto& [path, hash] : files) list.push_back(std::move(hash));
  deps.digest = pipeline::ComputeFilesDigest(std::move(list));
  return deps;
}

}  // namespace kiln::exec
