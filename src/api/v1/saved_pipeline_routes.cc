#include "api/v1/saved_pipeline_routes.h"

#include "api/v1/base_dir_arg.h"

namespace kiln::api::v1 {

using nlohmann::json;

namespace {

json RenderDefinition(const pipeline::PipelineDefinition& d, bool with_spec) {
  json out = {{"name", d.name},
              {"file", d.file},
              {"base_dir", d.base_dir},
              {"step_count", d.step_count},
              {"created_ms", d.created_ms},
              {"updated_ms", d.updated_ms}};
  if (with_spec) out["spec"] = d.spec;
  return out;
}

json RenderSummary(const pipeline::PipelineSummary& summary) {
  json out = RenderDefinition(summary.definition, false);
  out["last_run"] = nullptr;
  if (summary.last_run) {
    out["last_run"] = {{"run_id", summary.last_run->run_id},
                       {"status", summary.last_run->status},
                       {"created_ms", summary.last_run->created_ms}};
  }
  return out;
}

Result<json> ListPipelines(Services& s, const RequestArgs& args) {
  pipeline::PipelineListQuery query;
  KILN_ASSIGN_OR_RETURN(query.page_token, args.OptionalString("page_token"));
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> max, args.OptionalInt("max_results"));
  if (max && (*max < 1 || *max > 1000)) {
    return InvalidArgument("max_results must be between 1 and 1000, got " + std::to_string(*max));
  }
  query.max_results = max.value_or(100);
  KILN_ASSIGN_OR_RETURN(Page<pipeline::PipelineSummary> page,
                        s.pipelines.definitions().List(query));
  json items = json::array();
  for (const auto& summary : page.items) items.push_back(RenderSummary(summary));
  json out = {{"pipelines", items}};
  if (!page.next_page_token.empty()) out["next_page_token"] = page.next_page_token;
  return out;
}

// The pipeline file of a PUT or validate body: `spec`, `file` and `base_dir`.
Result<exec::SubmitRequest> ParseDefinition(const RequestContext& ctx, const RequestArgs& args) {
  exec::SubmitRequest request;
  KILN_ASSIGN_OR_RETURN(request.spec_text, args.RequiredString("spec"));
  KILN_ASSIGN_OR_RETURN(request.file, args.OptionalString("file", "pipeline.yaml"));
  KILN_ASSIGN_OR_RETURN(request.base_dir, OptionalBaseDirArg(args));
  request.peer = ctx.peer;
  return request;
}

Result<json> ValidatePipeline(Services& s, const RequestContext& ctx, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(exec::SubmitRequest request, ParseDefinition(ctx, args));
  KILN_ASSIGN_OR_RETURN(exec::ValidatedPipeline validated, s.pipelines.Validate(request));
  return json{{"valid", true},
              {"name", validated.name},
              {"base_dir", validated.base_dir},
              {"steps", validated.steps}};
}

Result<json> SavePipeline(Services& s, const RequestContext& ctx, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
  KILN_ASSIGN_OR_RETURN(exec::SubmitRequest request, ParseDefinition(ctx, args));
  KILN_ASSIGN_OR_RETURN(pipeline::PipelineDefinition saved,
                        s.pipelines.SavePipeline(name, std::move(request)));
  return json{{"pipeline", RenderDefinition(saved, true)}};
}

Result<json> DeletePipeline(Services& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
  return EmptyOr(s.pipelines.definitions().Delete(name));
}

}  // namespace

void AddSavedPipelineRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/pipelines", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return ListPipelines(s, args);
             }));
  router.Add("POST", "/api/v1/pipelines/validate", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return ValidatePipeline(s, ctx, args);
             }),
             kPipelineBody);
  router.Add("GET", "/api/v1/pipelines/{name...}", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) -> Result<json> {
               KILN_ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
               KILN_ASSIGN_OR_RETURN(auto definition, s.pipelines.definitions().Get(name));
               return json{{"pipeline", RenderDefinition(definition, true)}};
             }));
  router.Add("PUT", "/api/v1/pipelines/{name...}", kEditor,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return SavePipeline(s, ctx, args);
             }),
             kPipelineBody);
  router.Add("DELETE", "/api/v1/pipelines/{name...}", kOwner,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return DeletePipeline(s, args);
             }));
  router.Add("POST", "/api/v1/pipelines/{name}/delete", kOwner,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return DeletePipeline(s, args);
             }));
}

}  // namespace kiln::api::v1
