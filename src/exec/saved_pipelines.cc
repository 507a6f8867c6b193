// PipelineService's saved pipelines: definitions checked and stored without running, and runs
// of a stored definition by name.
#include <filesystem>
#include <system_error>

#include "common/ids.h"
#include "exec/pipeline_folders.h"
#include "exec/pipeline_service.h"
#include "pipeline/pipeline_spec.h"

namespace kiln::exec {
namespace {

// Pipeline names may hold '/' and '.', so a name becomes a folder only when no segment could
// climb out of the pipelines folder.
Status CheckFolderName(const std::string& name) {
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string segment = name.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return InvalidArgument("pipeline name '" + name +
                             "' cannot name a folder: give 'base_dir' for it");
    }
    start = end + 1;
  }
  return Status::Ok();
}

}  // namespace

Status PipelineService::RememberDefinition(const SubmitRequest& request, const Plan& plan) {
  pipeline::PipelineDefinition definition;
  definition.name = plan.pipeline_name;
  definition.spec = request.spec_text;
  definition.file = request.file;
  definition.base_dir = request.base_dir;
  if (!plan.runs.empty()) {
    definition.step_count = static_cast<int64_t>(plan.runs.front().pipeline.spec.steps.size());
  }
  return definitions_.Upsert(definition, NowMillis());
}

Result<std::string> PipelineService::DefaultBaseDir(const std::string& name) {
  Result<pipeline::PipelineDefinition> stored = definitions_.Get(name);
  if (stored.ok()) return stored->base_dir;
  if (stored.status().code() != StatusCode::kNotFound) return stored.status();
  KILN_RETURN_IF_ERROR(CheckFolderName(name));
  return options_.data_dir + "/pipelines/" + name;
}

Status PipelineService::EnsurePipelineFolder(const std::string& base_dir) const {
  const std::string own = options_.data_dir + "/pipelines/";
  if (base_dir.compare(0, own.size(), own) != 0) return Status::Ok();
  std::error_code error;
  std::filesystem::create_directories(base_dir, error);
  if (error) {
    return Internal("cannot create the pipeline folder " + base_dir + ": " + error.message());
  }
  return Status::Ok();
}

Status PipelineService::ChooseBaseDir(SubmitRequest& request) {
  if (request.base_dir.empty()) {
    // The name picks the default folder, so a spec that does not parse fails here already.
    KILN_ASSIGN_OR_RETURN(pipeline::PipelineSpec spec,
                          pipeline::ParsePipeline(request.spec_text, request.file));
    KILN_ASSIGN_OR_RETURN(request.base_dir, DefaultBaseDir(spec.name));
  }
  if (request.peer.empty()) return Status::Ok();
  return CheckPipelineRoot(request.base_dir, pipeline_roots_);
}

Result<ValidatedPipeline> PipelineService::Validate(const SubmitRequest& request) {
  const Result<std::optional<PlanningGate::Ticket>> admitted = AdmitPlanning(request);
  KILN_RETURN_IF_ERROR(admitted.status());
  return ValidateAdmitted(request);
}

Result<ValidatedPipeline> PipelineService::ValidateAdmitted(const SubmitRequest& request) {
  SubmitRequest checked;  // only the definition: no overrides, sweep or schedule
  checked.spec_text = request.spec_text;
  checked.file = request.file;
  checked.base_dir = request.base_dir;
  checked.peer = request.peer;
  KILN_RETURN_IF_ERROR(ChooseBaseDir(checked));
  KILN_ASSIGN_OR_RETURN(auto library, OpenLibrary(checked.base_dir));
  KILN_ASSIGN_OR_RETURN(Plan plan, PlanSubmission(checked, *library, options_.datasets));
  KILN_RETURN_IF_ERROR(CheckCommands(checked, plan));
  ValidatedPipeline validated{plan.pipeline_name, checked.base_dir, {}};
  const pipeline::ResolvedPipeline& resolved = plan.runs.at(0).pipeline;
  for (size_t index : resolved.plan.order) {
    validated.steps.push_back(resolved.spec.steps.at(index).name);
  }
  return validated;
}

Result<pipeline::PipelineDefinition> PipelineService::SavePipeline(const std::string& name,
                                                                   SubmitRequest request) {
  const bool default_dir = request.base_dir.empty();
  const Result<std::optional<PlanningGate::Ticket>> admitted = AdmitPlanning(request);
  KILN_RETURN_IF_ERROR(admitted.status());
  KILN_ASSIGN_OR_RETURN(ValidatedPipeline validated, ValidateAdmitted(request));
  if (validated.name != name) {
    return InvalidArgument("the spec's name '" + validated.name +
                           "' does not match the pipeline name '" + name + "' in the path");
  }
  if (default_dir) {
    std::error_code ec;
    std::filesystem::create_directories(validated.base_dir, ec);
    if (ec) return Internal("cannot create '" + validated.base_dir + "': " + ec.message());
  }
  pipeline::PipelineDefinition definition;
  definition.name = name;
  definition.spec = request.spec_text;
  definition.file = request.file;
  definition.base_dir = validated.base_dir;
  definition.step_count = static_cast<int64_t>(validated.steps.size());
  KILN_RETURN_IF_ERROR(definitions_.Upsert(definition, NowMillis()));
  return definitions_.Get(name);
}

Result<Submission> PipelineService::SubmitSaved(const std::string& name, SubmitRequest options) {
  KILN_ASSIGN_OR_RETURN(pipeline::PipelineDefinition stored, definitions_.Get(name));
  options.spec_text = std::move(stored.spec);
  options.file = std::move(stored.file);
  options.base_dir = std::move(stored.base_dir);
  return SubmitStored(options);
}

}  // namespace kiln::exec
