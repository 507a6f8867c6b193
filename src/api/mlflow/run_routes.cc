// MLflow runs/*, metrics/get-history and artifacts/list endpoints.
#include "api/mlflow/artifact_paths.h"
#include "api/mlflow/routes.h"
#include "api/mlflow/tracking_parse.h"
#include "api/render.h"
#include "common/percent.h"

namespace kiln::api::mlflow {

using nlohmann::json;
using tracking::TrackingService;

namespace {

Result<std::string> RunId(const RequestArgs& a) {
  return a.RequiredStringOf({"run_id", "run_uuid"});
}

Result<json> CreateRun(TrackingService& t, const RequestArgs& a) {
  tracking::CreateRunRequest request;
  KILN_ASSIGN_OR_RETURN(request.experiment_id, a.OptionalString("experiment_id", "0"));
  KILN_ASSIGN_OR_RETURN(request.user_id, a.OptionalString("user_id"));
  KILN_ASSIGN_OR_RETURN(request.run_name, a.OptionalString("run_name"));
  KILN_ASSIGN_OR_RETURN(request.start_time, a.OptionalInt("start_time"));
  KILN_ASSIGN_OR_RETURN(request.tags, ParseTags(a, "tags"));
  KILN_ASSIGN_OR_RETURN(tracking::Run run, t.CreateRun(request));
  return json{{"run", RenderRun(run)}};
}

Result<json> UpdateRun(TrackingService& t, const RequestArgs& a) {
  tracking::UpdateRunRequest request;
  KILN_ASSIGN_OR_RETURN(request.run_id, RunId(a));
  if (a.Has("status")) {
    KILN_ASSIGN_OR_RETURN(std::string status, a.RequiredString("status"));
    request.status = status;
  }
  KILN_ASSIGN_OR_RETURN(request.end_time, a.OptionalInt("end_time"));
  if (a.Has("run_name")) {
    KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("run_name"));
    request.run_name = name;
  }
  KILN_ASSIGN_OR_RETURN(tracking::RunInfo info, t.UpdateRun(request));
  return json{{"run_info", RenderRunInfo(info)}};
}

Result<json> SearchRuns(TrackingService& t, const RequestArgs& a) {
  tracking::RunQuery query;
  KILN_ASSIGN_OR_RETURN(query.experiment_ids, a.StringList("experiment_ids"));
  KILN_RETURN_IF_ERROR(ParseSearchArgs(a, 1000, query));
  KILN_ASSIGN_OR_RETURN(query.view, ParseViewType(a, "run_view_type"));
  KILN_ASSIGN_OR_RETURN(Page<tracking::Run> page, t.SearchRuns(query));
  json out = json::object();
  if (!page.items.empty()) {
    json runs = json::array();
    for (const auto& run : page.items) runs.push_back(RenderRun(run));
    out["runs"] = std::move(runs);
  }
  if (!page.next_page_token.empty()) out["next_page_token"] = page.next_page_token;
  return out;
}

Result<json> LogBatch(TrackingService& t, const RequestArgs& a) {
  KILN_ASSIGN_OR_RETURN(std::string run_id, RunId(a));
  KILN_ASSIGN_OR_RETURN(tracking::Batch batch, ParseBatch(a));
  return EmptyOr(t.LogBatch(run_id, batch));
}

Result<json> LogMetric(TrackingService& t, const RequestArgs& a) {
  KILN_ASSIGN_OR_RETURN(std::string run_id, RunId(a));
  KILN_ASSIGN_OR_RETURN(tracking::Metric metric, ParseMetric(a));
  return EmptyOr(t.LogBatch(run_id, {{metric}, {}, {}}));
}

Result<json> LogParam(TrackingService& t, const RequestArgs& a) {
  KILN_ASSIGN_OR_RETURN(std::string run_id, RunId(a));
  KILN_ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
  KILN_ASSIGN_OR_RETURN(std::string value, a.RequiredString("value"));
  return EmptyOr(t.LogBatch(run_id, {{}, {{key, value}}, {}}));
}

Result<json> SetTag(TrackingService& t, const RequestArgs& a) {
  KILN_ASSIGN_OR_RETURN(std::string run_id, RunId(a));
  KILN_ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
  KILN_ASSIGN_OR_RETURN(std::string value, a.RequiredString("value"));
  return EmptyOr(t.LogBatch(run_id, {{}, {}, {{key, value}}}));
}

Result<json> LogModel(TrackingService& t, const RequestArgs& a) {
  KILN_ASSIGN_OR_RETURN(std::string run_id, RunId(a));
  KILN_ASSIGN_OR_RETURN(std::string model_json, a.RequiredString("model_json"));
  json model = json::parse(model_json, nullptr, /*allow_exceptions=*/false);
  if (model.is_discarded() || !model.is_object()) {
    return InvalidArgument("Invalid value for parameter 'model_json': not a JSON object");
  }
  for (const char* field : {"artifact_path", "flavors", "utc_time_created", "run_id"}) {
    if (!model.contains(field)) {
      return InvalidArgument(std::string("Model json is missing mandatory field '") + field + "'");
    }
  }
  return EmptyOr(t.LogModel(run_id, model.dump()));
}

Result<json> MetricHistory(TrackingService& t, const RequestArgs& a) {
  KILN_ASSIGN_OR_RETURN(std::string run_id, RunId(a));
  KILN_ASSIGN_OR_RETURN(std::string key, a.RequiredString("metric_key"));
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> max_results, a.OptionalInt("max_results"));
  KILN_ASSIGN_OR_RETURN(std::string token, a.OptionalString("page_token"));
  KILN_ASSIGN_OR_RETURN(Page<tracking::Metric> page,
                        t.GetMetricHistory(run_id, key, max_results.value_or(25000), token));
  json metrics = json::array();
  for (const auto& m : page.items) metrics.push_back(RenderMetric(m));
  json out = {{"metrics", metrics}};
  if (!page.next_page_token.empty()) out["next_page_token"] = page.next_page_token;
  return out;
}

Result<json> ListRunArtifacts(Services& s, const RequestArgs& a) {
  KILN_ASSIGN_OR_RETURN(std::string run_id, RunId(a));
  KILN_ASSIGN_OR_RETURN(std::string path, a.OptionalString("path"));
  KILN_ASSIGN_OR_RETURN(tracking::Run run, s.tracking.GetRun(run_id));
  json out = {{"root_uri", run.info.artifact_uri}, {"files", json::array()}};
  Result<std::string> root = StorePathOfUri(run.info.artifact_uri);
  if (!root.ok()) return out;  // artifacts live elsewhere; the client reads them directly
  if (!path.empty()) {
    KILN_RETURN_IF_ERROR(artifacts::ValidateRelativePath(path));
    if (HasParentSegment(path)) return InvalidArgument("Invalid path '" + path + "'");
  }
  KILN_ASSIGN_OR_RETURN(std::vector<artifacts::FileEntry> entries,
                        s.artifacts.List(JoinPath(*root, path)));
  for (const auto& e : entries) {
    json file = {{"path", e.path.substr(root->size() + 1)}, {"is_dir", e.is_dir}};
    if (!e.is_dir) file["file_size"] = e.size;
    out["files"].push_back(std::move(file));
  }
  return out;
}

}  // namespace

void AddRunRoutes(http::Router& router, Services& services) {
  TrackingService& t = services.tracking;
  auto bind = [&t](Result<json> (*fn)(TrackingService&, const RequestArgs&)) {
    return [&t, fn](const RequestContext& ctx, const RequestArgs& a) { return fn(t, a); };
  };
  AddMlflowRoute(router, {"POST"}, "runs/create", kRunner, bind(CreateRun));
  AddMlflowRoute(router, {"GET"}, "runs/get", kViewer,
                 [&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string run_id, RunId(a));
                   KILN_ASSIGN_OR_RETURN(tracking::Run run, t.GetRun(run_id));
                   return json{{"run", RenderRun(run)}};
                 });
  AddMlflowRoute(router, {"POST"}, "runs/update", kRunner, bind(UpdateRun));
  AddMlflowRoute(router, {"POST"}, "runs/delete", kOwner,
                 [&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string run_id, RunId(a));
                   return EmptyOr(t.DeleteRun(run_id));
                 });
  AddMlflowRoute(router, {"POST"}, "runs/restore", kEditor,
                 [&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string run_id, RunId(a));
                   return EmptyOr(t.RestoreRun(run_id));
                 });
  AddMlflowRoute(router, {"GET", "POST"}, "runs/search", kViewer, bind(SearchRuns));
  AddMlflowRoute(router, {"POST"}, "runs/log-metric", kRunner, bind(LogMetric));
  AddMlflowRoute(router, {"POST"}, "runs/log-parameter", kRunner, bind(LogParam));
  AddMlflowRoute(router, {"POST"}, "runs/log-batch", kRunner, bind(LogBatch));
  AddMlflowRoute(router, {"POST"}, "runs/set-tag", kRunner, bind(SetTag));
  AddMlflowRoute(router, {"POST"}, "runs/delete-tag", kRunner,
                 [&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string run_id, RunId(a));
                   KILN_ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
                   return EmptyOr(t.DeleteTag(run_id, key));
                 });
  AddMlflowRoute(router, {"POST"}, "runs/log-inputs", kRunner,
                 [&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string run_id, RunId(a));
                   KILN_ASSIGN_OR_RETURN(std::vector<tracking::DatasetInput> inputs,
                                         ParseDatasetInputs(a));
                   return EmptyOr(t.LogInputs(run_id, inputs));
                 });
  AddMlflowRoute(router, {"POST"}, "runs/log-model", kRunner, bind(LogModel));
  AddMlflowRoute(router, {"GET"}, "metrics/get-history", kViewer, bind(MetricHistory));
  AddMlflowRoute(router, {"GET"}, "artifacts/list", kViewer,
                 [&services](const RequestContext& ctx, const RequestArgs& a) {
                   return ListRunArtifacts(services, a);
                 });
}

}  // namespace kiln::api::mlflow
