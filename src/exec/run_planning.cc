#include "exec/run_planning.h"

#include "exec/pipeline_folders.h"
#include "exec/step_deps.h"
#include "pipeline/override_apply.h"
#include "pipeline/overrides.h"
#include "pipeline/sweep.h"

namespace kiln::exec {
namespace {

Status RefuseSweepWithoutMultirun(const std::vector<pipeline::Override>& overrides) {
  for (const pipeline::Override& o : overrides) {
    if (pipeline::IsSweep(o)) {
      return InvalidArgument("override '" + o.text +
                             "' is a sweep: run with -m/--multirun (grid) or --sample N");
    }
  }
  return Status::Ok();
}

Result<std::vector<std::vector<pipeline::Override>>> Points(
    const SubmitRequest& request, const std::vector<pipeline::Override>& overrides,
    const pipeline::PipelineSpec& spec) {
  if (request.multirun && request.sample > 0) {
    return InvalidArgument("use either -m/--multirun (grid) or --sample N, not both");
  }
  if (request.sample > 0) {
    return pipeline::SamplePoints(overrides, spec, static_cast<size_t>(request.sample),
                                  request.seed);
  }
  if (request.multirun) return pipeline::ExpandGrid(overrides);
  KILN_RETURN_IF_ERROR(RefuseSweepWithoutMultirun(overrides));
  return std::vector<std::vector<pipeline::Override>>{overrides};
}

Result<PlannedRun> PlanPoint(const pipeline::PipelineSpec& spec,
                             const std::vector<pipeline::Override>& point, bool is_sweep,
                             const pipeline::ModuleLibrary& library) {
  pipeline::PipelineSpec copy = spec;
  KILN_RETURN_IF_ERROR(pipeline::ApplyOverrides(point, library, &copy));
  PlannedRun run;
  KILN_ASSIGN_OR_RETURN(run.pipeline, pipeline::ResolvePipeline(std::move(copy), library));
  for (const pipeline::Override& o : point) run.overrides.push_back(o.text);
  if (is_sweep) run.description = pipeline::DescribePoint(point);
  return run;
}

// Checks every dataset input against `datasets` and pins "latest" to a version number, so the
// run reads what existed when it was planned.
Status PinDatasets(datasets::DatasetRegistry* datasets, pipeline::ResolvedPipeline& pipeline) {
  for (pipeline::ResolvedStep& step : pipeline.steps) {
    for (auto& [name, binding] : step.inputs) {
      if (binding.kind != pipeline::Binding::Kind::kDataset) continue;
      const std::string field = "steps." + step.name + ".inputs." + name;
      const auto& mark = binding.mark;  // clang before 16 cannot capture a structured binding
      auto fail = [&](const Status& status) {
        return pipeline::MarkedError(pipeline.spec.file, mark, field, status.message());
      };
      Result<datasets::DatasetRef> ref =
          datasets::ParseDatasetRef(binding.dataset + "@" + binding.version);
      if (!ref.ok()) return fail(ref.status());
      if (datasets == nullptr) return fail(InvalidArgument("datasets are not available here"));
      Result<datasets::DatasetVersion> found = datasets->Get(*ref);
      if (!found.ok()) return fail(found.status());
      binding.version = std::to_string(found->version);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Plan> PlanSubmission(const SubmitRequest& request, const pipeline::ModuleLibrary& library,
                            datasets::DatasetRegistry* datasets) {
  KILN_ASSIGN_OR_RETURN(pipeline::PipelineSpec spec,
                        pipeline::ParsePipeline(request.spec_text, request.file));
  KILN_ASSIGN_OR_RETURN(std::vector<pipeline::Override> overrides,
                        pipeline::ParseOverrides(request.overrides));
  KILN_ASSIGN_OR_RETURN(auto points, Points(request, overrides, spec));
  Plan plan;
  plan.pipeline_name = spec.name;
  plan.is_sweep = request.multirun || request.sample > 0;
  for (const auto& point : points) {
    KILN_ASSIGN_OR_RETURN(PlannedRun run, PlanPoint(spec, point, plan.is_sweep, library));
    KILN_RETURN_IF_ERROR(PinDatasets(datasets, run.pipeline));
    KILN_RETURN_IF_ERROR(CheckInputFiles(run.pipeline, request.base_dir));
    KILN_RETURN_IF_ERROR(CheckStepDeps(run.pipeline, request.base_dir));
    plan.runs.push_back(std::move(run));
  }
  return plan;
}

}  // namespace kiln::exec
