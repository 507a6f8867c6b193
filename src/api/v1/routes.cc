#include "api/v1/routes.h"

#include "api/render.h"

namespace kiln::api::v1 {

using nlohmann::json;

namespace {

template <typename T>
json PageJson(const char* field, const Page<T>& page, json (*render)(const T&)) {
  json items = json::array();
  for (const T& item : page.items) items.push_back(render(item));
  json out = {{field, items}};
  if (!page.next_page_token.empty()) out["next_page_token"] = page.next_page_token;
  return out;
}

Result<json> ListExperiments(tracking::TrackingService& t, const RequestArgs& a) {
  tracking::ExperimentQuery query;
  KILN_RETURN_IF_ERROR(ParseSearchArgs(a, 100, query));
  KILN_ASSIGN_OR_RETURN(Page<tracking::Experiment> page, t.SearchExperiments(query));
  return PageJson("experiments", page, RenderExperiment);
}

Result<json> ListRuns(tracking::TrackingService& t, const RequestArgs& a) {
  tracking::RunQuery query;
  KILN_ASSIGN_OR_RETURN(query.experiment_ids, a.StringList("experiment_id"));
  KILN_RETURN_IF_ERROR(ParseSearchArgs(a, 100, query));
  KILN_ASSIGN_OR_RETURN(Page<tracking::Run> page, t.SearchRuns(query));
  return PageJson("runs", page, RenderRun);
}

Result<json> ListModels(registry::RegistryService& r, const RequestArgs& a) {
  registry::SearchQuery query;
  KILN_RETURN_IF_ERROR(ParseSearchArgs(a, 100, query));
  KILN_ASSIGN_OR_RETURN(Page<registry::RegisteredModel> page, r.SearchRegisteredModels(query));
  return PageJson("models", page, RenderRegisteredModel);
}

Result<json> ShowModel(registry::RegistryService& r, const std::string& name) {
  KILN_ASSIGN_OR_RETURN(registry::RegisteredModel model, r.GetRegisteredModel(name));
  KILN_ASSIGN_OR_RETURN(std::vector<registry::ModelVersion> all, r.ListModelVersions(name));
  json versions = json::array();
  for (const auto& v : all) versions.push_back(RenderModelVersion(v));
  json out = RenderRegisteredModel(model);
  out["versions"] = std::move(versions);
  return json{{"model", out}};
}

}  // namespace

void AddRoutes(http::Router& router, Services& s) {
  tracking::TrackingService& t = s.tracking;
  registry::RegistryService& r = s.registry;
  router.Add("GET", "/api/v1/health", kPublic,
             JsonEndpoint([](const RequestContext&, const RequestArgs&) -> Result<json> {
               return json{{"status", "ok"}};
             }));
  router.Add("GET", "/api/v1/experiments", kViewer,
             JsonEndpoint([&t](const RequestContext& ctx, const RequestArgs& a) {
               return ListExperiments(t, a);
             }));
  router.Add("POST", "/api/v1/experiments", kEditor,
             JsonEndpoint([&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
               KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
               KILN_ASSIGN_OR_RETURN(std::string id, t.CreateExperiment(name, "", {}));
               KILN_ASSIGN_OR_RETURN(tracking::Experiment e, t.GetExperiment(id));
               return json{{"experiment", RenderExperiment(e)}};
             }));
  router.Add("GET", "/api/v1/experiments/{id}", kViewer,
             JsonEndpoint([&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
               KILN_ASSIGN_OR_RETURN(std::string id, a.RequiredString("id"));
               KILN_ASSIGN_OR_RETURN(tracking::Experiment e, t.GetExperiment(id));
               return json{{"experiment", RenderExperiment(e)}};
             }));
  router.Add("GET", "/api/v1/runs", kViewer,
             JsonEndpoint(
                 [&t](const RequestContext& ctx, const RequestArgs& a) { return ListRuns(t, a); }));
  router.Add("GET", "/api/v1/runs/{run_id}", kViewer,
             JsonEndpoint([&t](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
               KILN_ASSIGN_OR_RETURN(std::string id, a.RequiredString("run_id"));
               KILN_ASSIGN_OR_RETURN(tracking::Run run, t.GetRun(id));
               return json{{"run", RenderRun(run)}};
             }));
  router.Add("GET", "/api/v1/models", kViewer,
             JsonEndpoint([&r](const RequestContext& ctx, const RequestArgs& a) {
               return ListModels(r, a);
             }));
  router.Add("GET", "/api/v1/models/{name}", kViewer,
             JsonEndpoint([&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
               KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
               return ShowModel(r, name);
             }));
}

}  // namespace kiln::api::v1
