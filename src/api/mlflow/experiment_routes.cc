// MLflow experiments/* endpoints.
#include "api/mlflow/routes.h"
#include "api/mlflow/tracking_parse.h"
#include "api/render.h"

namespace kiln::api::mlflow {

using nlohmann::json;

namespace {

Result<json> SearchExperiments(tracking::TrackingService& tracking, const RequestArgs& args) {
  tracking::ExperimentQuery query;
  KILN_RETURN_IF_ERROR(ParseSearchArgs(args, 1000, query));
  KILN_ASSIGN_OR_RETURN(query.view, ParseViewType(args, "view_type"));
  KILN_ASSIGN_OR_RETURN(Page<tracking::Experiment> page, tracking.SearchExperiments(query));
  json list = json::array();
  for (const auto& e : page.items) list.push_back(RenderExperiment(e));
  json out = {{"experiments", list}};
  if (!page.next_page_token.empty()) out["next_page_token"] = page.next_page_token;
  return out;
}

}  // namespace

void AddExperimentRoutes(http::Router& router, Services& services) {
  tracking::TrackingService& t = services.tracking;
  AddMlflowRoute(router, {"POST"}, "experiments/create", kEditor,
                 [&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   KILN_ASSIGN_OR_RETURN(std::string location,
                                         a.OptionalString("artifact_location"));
                   KILN_ASSIGN_OR_RETURN(std::vector<tracking::Tag> tags, ParseTags(a, "tags"));
                   KILN_ASSIGN_OR_RETURN(std::string id, t.CreateExperiment(name, location, tags));
                   return json{{"experiment_id", id}};
                 });
  AddMlflowRoute(router, {"GET"}, "experiments/get", kViewer,
                 [&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
                   KILN_ASSIGN_OR_RETURN(tracking::Experiment e, t.GetExperiment(id));
                   return json{{"experiment", RenderExperiment(e)}};
                 });
  AddMlflowRoute(router, {"GET"}, "experiments/get-by-name", kViewer,
                 [&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("experiment_name"));
                   KILN_ASSIGN_OR_RETURN(tracking::Experiment e, t.GetExperimentByName(name));
                   return json{{"experiment", RenderExperiment(e)}};
                 });
  AddMlflowRoute(
      router, {"GET", "POST"}, "experiments/search", kViewer,
      [&t](const RequestContext& ctx, const RequestArgs& a) { return SearchExperiments(t, a); });
  AddMlflowRoute(router, {"POST"}, "experiments/update", kEditor,
                 [&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
                   KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("new_name"));
                   return EmptyOr(t.RenameExperiment(id, name));
                 });
  AddMlflowRoute(router, {"POST"}, "experiments/delete", kOwner,
                 [&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
                   return EmptyOr(t.DeleteExperiment(id));
                 });
  AddMlflowRoute(router, {"POST"}, "experiments/restore", kEditor,
                 [&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
                   return EmptyOr(t.RestoreExperiment(id));
                 });
  AddMlflowRoute(router, {"POST"}, "experiments/set-experiment-tag", kEditor,
                 [&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
                   KILN_ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
                   KILN_ASSIGN_OR_RETURN(std::string value, a.RequiredString("value"));
                   return EmptyOr(t.SetExperimentTag(id, {key, value}));
                 });
  AddMlflowRoute(router, {"POST"}, "experiments/delete-experiment-tag", kEditor,
                 [&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
                   KILN_ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
                   return EmptyOr(t.DeleteExperimentTag(id, key));
                 });
}

}  // namespace kiln::api::mlflow
