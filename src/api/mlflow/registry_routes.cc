// MLflow registered-models/* and model-versions/* endpoints.
#include "api/mlflow/routes.h"
#include "api/mlflow/tracking_parse.h"
#include "api/render.h"

namespace kiln::api::mlflow {

using nlohmann::json;
using registry::RegistryService;

namespace {

Result<registry::SearchQuery> ParseSearch(const RequestArgs& a, int64_t default_max) {
  registry::SearchQuery query;
  KILN_RETURN_IF_ERROR(ParseSearchArgs(a, default_max, query));
  return query;
}

Result<json> ModelResult(const Result<registry::RegisteredModel>& model) {
  if (!model.ok()) return model.status();
  return json{{"registered_model", RenderRegisteredModel(*model)}};
}

Result<json> VersionResult(const Result<registry::ModelVersion>& version) {
  if (!version.ok()) return version.status();
  return json{{"model_version", RenderModelVersion(*version)}};
}

Result<json> SearchModels(RegistryService& r, const RequestArgs& a) {
  KILN_ASSIGN_OR_RETURN(registry::SearchQuery query, ParseSearch(a, 100));
  KILN_ASSIGN_OR_RETURN(Page<registry::RegisteredModel> page, r.SearchRegisteredModels(query));
  json list = json::array();
  for (const auto& m : page.items) list.push_back(RenderRegisteredModel(m));
  json out = {{"registered_models", list}};
  if (!page.next_page_token.empty()) out["next_page_token"] = page.next_page_token;
  return out;
}

Result<json> SearchVersions(RegistryService& r, const RequestArgs& a) {
  KILN_ASSIGN_OR_RETURN(registry::SearchQuery query, ParseSearch(a, 10000));
  KILN_ASSIGN_OR_RETURN(Page<registry::ModelVersion> page, r.SearchModelVersions(query));
  json list = json::array();
  for (const auto& v : page.items) list.push_back(RenderModelVersion(v));
  json out = {{"model_versions", list}};
  if (!page.next_page_token.empty()) out["next_page_token"] = page.next_page_token;
  return out;
}

Result<json> LatestVersions(RegistryService& r, const RequestArgs& a) {
  KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  KILN_ASSIGN_OR_RETURN(std::vector<std::string> stages, a.StringList("stages"));
  KILN_ASSIGN_OR_RETURN(std::vector<registry::ModelVersion> versions,
                        r.GetLatestVersions(name, stages));
  json list = json::array();
  for (const auto& v : versions) list.push_back(RenderModelVersion(v));
  return json{{"model_versions", list}};
}

Result<json> CreateVersion(RegistryService& r, const RequestArgs& a) {
  registry::NewModelVersion request;
  KILN_ASSIGN_OR_RETURN(request.name, a.RequiredString("name"));
  KILN_ASSIGN_OR_RETURN(request.source, a.RequiredString("source"));
  KILN_ASSIGN_OR_RETURN(request.run_id, a.OptionalString("run_id"));
  KILN_ASSIGN_OR_RETURN(request.run_link, a.OptionalString("run_link"));
  KILN_ASSIGN_OR_RETURN(request.description, a.OptionalString("description"));
  KILN_ASSIGN_OR_RETURN(request.tags, ParseTags(a, "tags"));
  return VersionResult(r.CreateModelVersion(request));
}

void AddModelRoutes(http::Router& router, RegistryService& r) {
  AddMlflowRoute(router, {"POST"}, "registered-models/create", kEditor,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   KILN_ASSIGN_OR_RETURN(std::vector<registry::Tag> tags, ParseTags(a, "tags"));
                   KILN_ASSIGN_OR_RETURN(std::string description, a.OptionalString("description"));
                   return ModelResult(r.CreateRegisteredModel(name, tags, description));
                 });
  AddMlflowRoute(router, {"GET"}, "registered-models/get", kViewer,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   return ModelResult(r.GetRegisteredModel(name));
                 });
  AddMlflowRoute(router, {"POST"}, "registered-models/rename", kEditor,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   KILN_ASSIGN_OR_RETURN(std::string new_name, a.RequiredString("new_name"));
                   return ModelResult(r.RenameRegisteredModel(name, new_name));
                 });
  AddMlflowRoute(router, {"PATCH"}, "registered-models/update", kEditor,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   KILN_ASSIGN_OR_RETURN(std::string description, a.OptionalString("description"));
                   return ModelResult(r.UpdateRegisteredModel(name, description));
                 });
  AddMlflowRoute(router, {"DELETE"}, "registered-models/delete", kOwner,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   return EmptyOr(r.DeleteRegisteredModel(name));
                 });
  AddMlflowRoute(
      router, {"GET"}, "registered-models/search", kViewer,
      [&r](const RequestContext& ctx, const RequestArgs& a) { return SearchModels(r, a); });
  AddMlflowRoute(
      router, {"GET", "POST"}, "registered-models/get-latest-versions", kViewer,
      [&r](const RequestContext& ctx, const RequestArgs& a) { return LatestVersions(r, a); });
  AddMlflowRoute(router, {"POST"}, "registered-models/set-tag", kEditor,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   KILN_ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
                   KILN_ASSIGN_OR_RETURN(std::string value, a.RequiredString("value"));
                   return EmptyOr(r.SetRegisteredModelTag(name, {key, value}));
                 });
  AddMlflowRoute(router, {"DELETE"}, "registered-models/delete-tag", kEditor,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   KILN_ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
                   return EmptyOr(r.DeleteRegisteredModelTag(name, key));
                 });
}

void AddAliasRoutes(http::Router& router, RegistryService& r) {
  AddMlflowRoute(router, {"POST"}, "registered-models/alias", kEditor,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   KILN_ASSIGN_OR_RETURN(std::string alias, a.RequiredString("alias"));
                   KILN_ASSIGN_OR_RETURN(std::string version, a.RequiredString("version"));
                   return EmptyOr(r.SetAlias(name, alias, version));
                 });
  AddMlflowRoute(router, {"DELETE"}, "registered-models/alias", kEditor,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   KILN_ASSIGN_OR_RETURN(std::string alias, a.RequiredString("alias"));
                   return EmptyOr(r.DeleteAlias(name, alias));
                 });
  AddMlflowRoute(router, {"GET"}, "registered-models/alias", kViewer,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   KILN_ASSIGN_OR_RETURN(std::string alias, a.RequiredString("alias"));
                   return VersionResult(r.GetVersionByAlias(name, alias));
                 });
}

// name + version, the key of every model-versions/* call.
Result<std::pair<std::string, std::string>> VersionKey(const RequestArgs& a) {
  KILN_ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  KILN_ASSIGN_OR_RETURN(std::string version, a.RequiredString("version"));
  return std::make_pair(name, version);
}

void AddVersionRoutes(http::Router& router, RegistryService& r) {
  AddMlflowRoute(
      router, {"POST"}, "model-versions/create", kEditor,
      [&r](const RequestContext& ctx, const RequestArgs& a) { return CreateVersion(r, a); });
  AddMlflowRoute(router, {"GET"}, "model-versions/get", kViewer,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(auto key, VersionKey(a));
                   return VersionResult(r.GetModelVersion(key.first, key.second));
                 });
  AddMlflowRoute(router, {"PATCH"}, "model-versions/update", kEditor,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(auto key, VersionKey(a));
                   KILN_ASSIGN_OR_RETURN(std::string description, a.OptionalString("description"));
                   return VersionResult(r.UpdateModelVersion(key.first, key.second, description));
                 });
  AddMlflowRoute(router, {"DELETE"}, "model-versions/delete", kOwner,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(auto key, VersionKey(a));
                   return EmptyOr(r.DeleteModelVersion(key.first, key.second));
                 });
  AddMlflowRoute(
      router, {"GET"}, "model-versions/search", kViewer,
      [&r](const RequestContext& ctx, const RequestArgs& a) { return SearchVersions(r, a); });
  AddMlflowRoute(router, {"POST"}, "model-versions/transition-stage", kEditor,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(auto key, VersionKey(a));
                   KILN_ASSIGN_OR_RETURN(std::string stage, a.RequiredString("stage"));
                   KILN_ASSIGN_OR_RETURN(bool archive,
                                         a.OptionalBool("archive_existing_versions", false));
                   return VersionResult(r.TransitionStage(key.first, key.second, stage, archive));
                 });
  AddMlflowRoute(router, {"GET"}, "model-versions/get-download-uri", kViewer,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(auto key, VersionKey(a));
                   KILN_ASSIGN_OR_RETURN(registry::ModelVersion v,
                                         r.GetModelVersion(key.first, key.second));
                   return json{{"artifact_uri", v.source}};
                 });
  AddMlflowRoute(router, {"POST"}, "model-versions/set-tag", kEditor,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(auto key, VersionKey(a));
                   KILN_ASSIGN_OR_RETURN(std::string tag_key, a.RequiredString("key"));
                   KILN_ASSIGN_OR_RETURN(std::string value, a.RequiredString("value"));
                   return EmptyOr(r.SetModelVersionTag(key.first, key.second, {tag_key, value}));
                 });
  AddMlflowRoute(router, {"DELETE"}, "model-versions/delete-tag", kEditor,
                 [&r](const RequestContext& ctx, const RequestArgs& a) -> Result<json> {
                   KILN_ASSIGN_OR_RETURN(auto key, VersionKey(a));
                   KILN_ASSIGN_OR_RETURN(std::string tag_key, a.RequiredString("key"));
                   return EmptyOr(r.DeleteModelVersionTag(key.first, key.second, tag_key));
                 });
}

}  // namespace

void AddRegistryRoutes(http::Router& router, Services& services) {
  AddModelRoutes(router, services.registry);
  AddAliasRoutes(router, services.registry);
  AddVersionRoutes(router, services.registry);
}

}  // namespace kiln::api::mlflow
