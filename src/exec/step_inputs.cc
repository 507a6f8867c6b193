#include "exec/step_inputs.h"

#include <filesystem>
#include <system_error>

#include "artifacts/blob_tree.h"
#include "exec/pipeline_folders.h"

namespace kiln::exec {
namespace fs = std::filesystem;
namespace {

// Resolved again when the step starts (planning checked it too), so a symbolic link swapped in
// since then cannot lead the read out of the pipeline's folder.
Result<BoundInput> BindFile(artifacts::ArtifactStore& store, const std::string& path,
                            const std::string& base_dir) {
  KILN_ASSIGN_OR_RETURN(std::string resolved, ResolveInputFile(base_dir, path));
  const fs::path file(resolved);
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    KILN_ASSIGN_OR_RETURN(std::string digest, artifacts::PutTree(store, file.string()));
    return BoundInput{digest, true, "file:" + file.string()};
  }
  if (!fs::is_regular_file(file, ec)) {
    return NotFound("input file '" + path + "' not found in the pipeline's folder");
  }
  KILN_ASSIGN_OR_RETURN(std::string digest, store.PutBlobFile(file.string()));
  return BoundInput{digest, false, "file:" + file.string()};
}

Result<BoundInput> BindStepOutput(
    const pipeline::Binding& binding,
    const std::map<std::string, std::vector<pipeline::StepOutput>>& upstream_outputs) {
  auto step = upstream_outputs.find(binding.step);
  if (step != upstream_outputs.end()) {
    for (const pipeline::StepOutput& output : step->second) {
      if (output.name == binding.output) {
        return BoundInput{output.digest, output.is_tree,
                          "step:" + binding.step + "." + binding.output};
      }
    }
  }
  return NotFound("output '" + binding.step + "." + binding.output + "' was not recorded");
}

Result<BoundInput> BindDataset(datasets::DatasetRegistry* datasets,
                               const pipeline::Binding& binding) {
  const std::string text = binding.dataset + "@" + binding.version;
  if (datasets == nullptr) {
    return FailedPrecondition("dataset:" + text + " cannot be read: no dataset registry");
  }
  KILN_ASSIGN_OR_RETURN(datasets::DatasetRef ref, datasets::ParseDatasetRef(text));
  KILN_ASSIGN_OR_RETURN(datasets::DatasetVersion version, datasets->Get(ref));
  return BoundInput{version.digest, version.is_tree,
                    "dataset:" + version.name + "@" + std::to_string(version.version)};
}

}  // namespace

Result<std::map<std::string, BoundInput>> BindInputs(
    artifacts::ArtifactStore& store, datasets::DatasetRegistry* datasets,
    const pipeline::ResolvedStep& step,
    const std::map<std::string, std::vector<pipeline::StepOutput>>& upstream_outputs,
    const std::string& base_dir) {
  std::map<std::string, BoundInput> bound;
  for (const auto& [name, binding] : step.inputs) {
    switch (binding.kind) {
      case pipeline::Binding::Kind::kStepOutput: {
        KILN_ASSIGN_OR_RETURN(bound[name], BindStepOutput(binding, upstream_outputs));
        break;
      }
      case pipeline::Binding::Kind::kFile: {
        KILN_ASSIGN_OR_RETURN(bound[name], BindFile(store, binding.path, base_dir));
        break;
      }
      case pipeline::Binding::Kind::kDataset: {
        Result<BoundInput> dataset = BindDataset(datasets, binding);
        if (!dataset.ok()) {
          return Status(dataset.status().code(),
                        "input '" + name + "': " + dataset.status().message());
        }
        bound[name] = std::move(*dataset);
        break;
      }
    }
  }
  return bound;
}

Result<std::map<std::string, std::string>> InputPaths(
    const artifacts::ArtifactStore& store, const std::map<std::string, BoundInput>& inputs,
    const std::string& tree_cache) {
  std::map<std::string, std::string> paths;
  for (const auto& [name, input] : inputs) {
    if (input.is_tree) {
      KILN_ASSIGN_OR_RETURN(paths[name],
                            artifacts::MaterializeTree(store, input.digest, tree_cache));
    } else {
      KILN_ASSIGN_OR_RETURN(paths[name], store.LocateBlob(input.digest));
    }
  }
  return paths;
}

}  // namespace kiln::exec
