#include "api/v1/pipeline_routes.h"

#include <cstdlib>
#include <map>

#include "api/auth_guard.h"
#include "api/error_mapping.h"
#include "api/v1/base_dir_arg.h"
#include "api/v1/model_lineage.h"
#include "exec/output_sizes.h"
#include "exec/step_results.h"

namespace kiln::api::v1 {

using nlohmann::json;

namespace {

json RenderStep(const pipeline::StepRecord& step) {
  json outputs = json::array();
  for (const pipeline::StepOutput& o : step.outputs) {
    outputs.push_back({{"name", o.name},
                       {"type", pipeline::ArtifactTypeName(o.type)},
                       {"digest", o.digest},
                       {"folder", o.is_tree}});
  }
  json out = {{"step", step.step},           {"status", pipeline::RunStateName(step.state)},
              {"run_id", step.run_id},       {"cached", step.cached},
              {"cache_key", step.cache_key}, {"attempts", step.attempts},
              {"error", step.error},         {"started_ms", step.started_ms},
              {"ended_ms", step.ended_ms},   {"outputs", outputs}};
  if (step.exit_code) out["exit_code"] = *step.exit_code;
  return out;
}

// Adds each file output's stored size (exec::StoredOutputSizes) to a rendered run.
void AddOutputSizes(json& run, const std::map<std::string, uint64_t>& sizes) {
  for (json& step : run["steps"]) {
    for (json& output : step["outputs"]) {
      if (output["folder"].get<bool>()) continue;
      const auto size = sizes.find(output["digest"].get<std::string>());
      if (size != sizes.end()) output["size"] = size->second;
    }
  }
}

json RenderRun(const pipeline::PipelineRunRecord& run) {
  json out = {{"run_id", run.run_id},
              {"pipeline", run.pipeline_name},
              {"file", run.file},
              {"status", pipeline::RunStateName(run.state)},
              {"overrides", run.overrides},
              {"params", json::parse(run.params_json, nullptr, false)},
              {"sweep_id", run.sweep_id},
              {"schedule_id", run.schedule_id},
              {"error", run.error},
              {"created_ms", run.created_ms},
              {"started_ms", run.started_ms},
              {"ended_ms", run.ended_ms}};
  if (!run.steps.empty()) {
    json steps = json::array();
    for (const pipeline::StepRecord& step : run.steps) steps.push_back(RenderStep(step));
    out["steps"] = steps;
  }
  return out;
}

json RenderSubmission(const exec::Submission& submission) {
  json runs = json::array();
  for (size_t i = 0; i < submission.run_ids.size(); ++i) {
    runs.push_back(
        {{"run_id", submission.run_ids[i]}, {"description", submission.descriptions[i]}});
  }
  return {
      {"pipeline", submission.pipeline_name}, {"sweep_id", submission.sweep_id}, {"runs", runs}};
}

// The run options of a submission; the pipeline comes from `spec` or a saved `pipeline`.
Result<exec::SubmitRequest> ParseSubmit(const RequestContext& ctx, const RequestArgs& args,
                                        std::string* saved_name) {
  exec::SubmitRequest request;
  KILN_ASSIGN_OR_RETURN(*saved_name, args.OptionalString("pipeline"));
  if (args.Has("spec") == !saved_name->empty()) {
    return InvalidArgument(
        "give exactly one of 'spec' (a pipeline file's text) and 'pipeline' (a saved "
        "pipeline's name)");
  }
  if (saved_name->empty()) {
    KILN_ASSIGN_OR_RETURN(request.spec_text, args.RequiredString("spec"));
  }
  KILN_ASSIGN_OR_RETURN(request.file, args.OptionalString("file", "pipeline.yaml"));
  KILN_ASSIGN_OR_RETURN(request.base_dir, OptionalBaseDirArg(args));
  request.peer = ctx.peer;
  KILN_ASSIGN_OR_RETURN(request.overrides, args.StringList("overrides"));
  KILN_ASSIGN_OR_RETURN(request.multirun, args.OptionalBool("multirun", false));
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> sample, args.OptionalInt("sample"));
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> seed, args.OptionalInt("seed"));
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> parallel, args.OptionalInt("parallel"));
  KILN_ASSIGN_OR_RETURN(request.use_cache, args.OptionalBool("use_cache", true));
  if (sample.value_or(0) < 0 || parallel.value_or(0) < 0 || seed.value_or(0) < 0) {
    return InvalidArgument("sample, seed and parallel must not be negative");
  }
  request.sample = sample.value_or(0);
  request.seed = static_cast<uint64_t>(seed.value_or(0));
  request.parallel = parallel.value_or(0);
  return request;
}

Result<pipeline::RunListQuery> ParseList(const RequestArgs& args) {
  pipeline::RunListQuery query;
  KILN_ASSIGN_OR_RETURN(query.pipeline_name, args.OptionalString("pipeline"));
  KILN_ASSIGN_OR_RETURN(query.sweep_id, args.OptionalString("sweep_id"));
  KILN_ASSIGN_OR_RETURN(query.schedule_id, args.OptionalString("schedule_id"));
  KILN_ASSIGN_OR_RETURN(query.page_token, args.OptionalString("page_token"));
  KILN_ASSIGN_OR_RETURN(std::string status, args.OptionalString("status"));
  if (!status.empty()) {
    pipeline::RunState state;
    if (!pipeline::RunStateFromName(status, &state)) {
      return InvalidArgument("unknown status '" + status + "'");
    }
    query.state = state;
  }
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> max, args.OptionalInt("max_results"));
  if (max && (*max < 1 || *max > 1000)) {
    return InvalidArgument("max_results must be between 1 and 1000, got " + std::to_string(*max));
  }
  query.max_results = max.value_or(100);
  return query;
}

Result<json> ListRuns(Services& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(pipeline::RunListQuery query, ParseList(args));
  KILN_ASSIGN_OR_RETURN(Page<pipeline::PipelineRunRecord> page, s.pipelines.records().List(query));
  json runs = json::array();
  for (const auto& run : page.items) runs.push_back(RenderRun(run));
  json out = {{"runs", runs}};
  if (!page.next_page_token.empty()) out["next_page_token"] = page.next_page_token;
  return out;
}

Result<json> Lineage(Services& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string kind, args.RequiredString("kind"));
  KILN_ASSIGN_OR_RETURN(std::string id, args.RequiredString("id"));
  KILN_ASSIGN_OR_RETURN(auto edges, s.pipelines.records().Lineage(kind, id));
  json out = json::array();
  for (const auto& e : edges) out.push_back(RenderLineageEdge(e));
  return json{{"edges", out}};
}

Result<const pipeline::StepRecord*> FindStep(const pipeline::PipelineRunRecord& run,
                                             const std::string& step) {
  for (const pipeline::StepRecord& record : run.steps) {
    if (record.step == step) return &record;
  }
  return NotFound("pipeline run '" + run.run_id + "' has no step '" + step + "'");
}

Result<int> TailLines(const std::optional<std::string>& text) {
  if (!text) return 20;
  char* end = nullptr;
  const long lines = std::strtol(text->c_str(), &end, 10);
  if (text->empty() || *end != '\0' || lines < 1 || lines > 100000) {
    return InvalidArgument("lines must be between 1 and 100000, got '" + *text + "'");
  }
  return static_cast<int>(lines);
}

Result<json> LogTailJson(Services& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string run_id, args.RequiredString("run_id"));
  KILN_ASSIGN_OR_RETURN(std::string step, args.RequiredString("step"));
  KILN_ASSIGN_OR_RETURN(std::string lines_text, args.OptionalString("lines", "20"));
  KILN_ASSIGN_OR_RETURN(int lines, TailLines(lines_text));
  KILN_ASSIGN_OR_RETURN(pipeline::PipelineRunRecord run, s.pipelines.records().Get(run_id));
  KILN_ASSIGN_OR_RETURN(const pipeline::StepRecord* record, FindStep(run, step));
  return json{{"text", exec::LogTail(record->log_path, lines)}};
}

// The step's log as text/plain; ?tail=N keeps the last N lines.
http::Handler StepLogs(Services& s) {
  return [&s](http::Request& request) -> http::Response {
    Result<pipeline::PipelineRunRecord> run =
        s.pipelines.records().Get(request.path_params["run_id"]);
    if (!run.ok()) return ErrorResponse(run.status());
    Result<const pipeline::StepRecord*> record = FindStep(*run, request.path_params["step"]);
    if (!record.ok()) return ErrorResponse(record.status());
    const std::optional<std::string> tail = request.QueryParam("tail");
    Result<int> lines = TailLines(tail);
    if (!lines.ok()) return ErrorResponse(lines.status());
    http::Response response;
    response.content_type = "text/plain; charset=utf-8";
    const std::string& path = (*record)->log_path;
    if (tail) {
      response.body = exec::LogTail(path, *lines);
    } else if (exec::StepLogExists(path)) {
      response.file_path = path;
    }
    return response;
  };
}

}  // namespace

void AddPipelineRoutes(http::Router& router, Services& s) {
  router.Add("POST", "/api/v1/pipeline-runs", kRunner,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) -> Result<json> {
               std::string saved;
               KILN_ASSIGN_OR_RETURN(exec::SubmitRequest request, ParseSubmit(ctx, args, &saved));
               if (saved.empty()) {
                 KILN_RETURN_IF_ERROR(RequireProjectRole(
                     ctx, "editor",
                     "running a pipeline given inline ('spec'; runners start saved "
                     "pipelines)"));
               }
               KILN_ASSIGN_OR_RETURN(exec::Submission submission,
                                     saved.empty() ? s.pipelines.Submit(request)
                                                   : s.pipelines.SubmitSaved(saved, request));
               return RenderSubmission(submission);
             }),
             kPipelineBody);
  router.Add("GET", "/api/v1/pipeline-runs", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return ListRuns(s, args);
             }));
  router.Add("GET", "/api/v1/pipeline-runs/{run_id}", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) -> Result<json> {
               KILN_ASSIGN_OR_RETURN(std::string run_id, args.RequiredString("run_id"));
               KILN_ASSIGN_OR_RETURN(auto run, s.pipelines.records().Get(run_id));
               json rendered = RenderRun(run);
               AddOutputSizes(rendered, exec::StoredOutputSizes(s.artifacts, run));
               return rendered;
             }));
  router.Add("POST", "/api/v1/pipeline-runs/{run_id}/cancel", kRunner,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) -> Result<json> {
               KILN_ASSIGN_OR_RETURN(std::string run_id, args.RequiredString("run_id"));
               return EmptyOr(s.pipelines.Cancel(run_id));
             }));
  router.Add("POST", "/api/v1/pipeline-runs/{run_id}/resume", kRunner,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) -> Result<json> {
               KILN_ASSIGN_OR_RETURN(std::string run_id, args.RequiredString("run_id"));
               KILN_ASSIGN_OR_RETURN(bool use_cache, args.OptionalBool("use_cache", true));
               KILN_ASSIGN_OR_RETURN(auto submission,
                                     s.pipelines.Resume(run_id, use_cache, ctx.peer));
               return RenderSubmission(submission);
             }));
  router.Add("GET", "/api/v1/pipeline-runs/{run_id}/steps/{step}/logs", kViewer, StepLogs(s));
  router.Add("GET", "/api/v1/pipeline-runs/{run_id}/steps/{step}/log-tail", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return LogTailJson(s, args);
             }));
  router.Add("GET", "/api/v1/lineage", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return Lineage(s, args);
             }));
  router.Add("GET", "/api/v1/models/{name}/versions/{version}/lineage", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) -> Result<json> {
               KILN_ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
               KILN_ASSIGN_OR_RETURN(std::string version, args.RequiredString("version"));
               return ModelVersionLineage(s, name, version);
             }));
}

}  // namespace kiln::api::v1
