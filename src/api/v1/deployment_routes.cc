#include "api/v1/deployment_routes.h"

#include <string>

#include "api/v1/deployment_render.h"

namespace kiln::api::v1 {
namespace {

using nlohmann::json;

Result<serving::DeploymentSpec> ParseSpec(const RequestArgs& args) {
  serving::DeploymentSpec spec;
  KILN_ASSIGN_OR_RETURN(spec.name, args.RequiredString("name"));
  KILN_ASSIGN_OR_RETURN(std::string model, args.RequiredString("model"));
  KILN_ASSIGN_OR_RETURN(spec.model, serving::ParseModelRef(model, "model"));
  KILN_ASSIGN_OR_RETURN(std::string canary, args.OptionalString("canary"));
  if (!canary.empty()) {
    KILN_ASSIGN_OR_RETURN(spec.canary, serving::ParseModelRef(canary, "canary"));
  }
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> weight, args.OptionalInt("canary_weight"));
  if (weight) {
    if (*weight < 0 || *weight > 100) {
      return InvalidArgument("'canary_weight': " + std::to_string(*weight) +
                             " is not between 0 and 100");
    }
    spec.canary_weight = static_cast<int>(*weight);
  } else if (spec.canary) {
    spec.canary_weight = 10;
  }
  KILN_ASSIGN_OR_RETURN(spec.strict_inputs, args.OptionalBool("strict_inputs", false));
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> min_rows, args.OptionalInt("drift_min_rows"));
  spec.drift_min_rows = min_rows.value_or(0);
  return spec;
}

Result<json> Apply(Services& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(serving::DeploymentSpec spec, ParseSpec(args));
  KILN_ASSIGN_OR_RETURN(serving::DeploymentStatus status, s.deployments.Apply(std::move(spec)));
  return json{{"deployment", RenderDeployment(status)}};
}

Result<json> List(Services& s) {
  json out = json::array();
  for (const serving::DeploymentStatus& d : s.deployments.List()) {
    out.push_back(RenderDeployment(d));
  }
  return json{{"deployments", std::move(out)}};
}

Result<json> Show(Services& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
  KILN_ASSIGN_OR_RETURN(serving::DeploymentStatus status, s.deployments.Get(name));
  json out = {{"deployment", RenderDeployment(status)}};
  // Live quality is known to the serving process only.
  if (s.monitoring.log != nullptr) {
    out["deployment"]["quality"] = RenderQuality(s.monitoring.log->Quality(name));
  }
  return out;
}

constexpr int64_t kMaxRequestsListed = 10000;

Result<json> Requests(Services& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
  KILN_RETURN_IF_ERROR(s.deployments.Get(name).status());
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> since, args.OptionalInt("since_ms"));
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> limit, args.OptionalInt("limit"));
  if (limit && (*limit < 1 || *limit > kMaxRequestsListed)) {
    return InvalidArgument("'limit': " + std::to_string(*limit) + " is not between 1 and " +
                           std::to_string(kMaxRequestsListed));
  }
  KILN_ASSIGN_OR_RETURN(serving::RequestLog * log, s.monitoring.Log());
  KILN_ASSIGN_OR_RETURN(
      std::vector<serving::LoggedRequest> found,
      log->Query(name, since.value_or(0), static_cast<size_t>(limit.value_or(100))));
  json out = json::array();
  for (const serving::LoggedRequest& r : found) out.push_back(RenderLoggedRequest(r));
  return json{{"requests", std::move(out)}};
}

Result<json> Remove(Services& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
  KILN_RETURN_IF_ERROR(s.deployments.Remove(name));
  return json::object();
}

}  // namespace

void AddDeploymentRoutes(http::Router& router, Services& s) {
  router.Add("POST", "/api/v1/deployments", kEditor,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return Apply(s, args);
             }));
  router.Add("PUT", "/api/v1/deployments/{name}", kEditor,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return Apply(s, args);
             }));
  router.Add("GET", "/api/v1/deployments", kViewer,
             JsonEndpoint([&s](const RequestContext&, const RequestArgs&) { return List(s); }));
  router.Add("GET", "/api/v1/deployments/{name}", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return Show(s, args);
             }));
  router.Add("GET", "/api/v1/deployments/{name}/requests", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return Requests(s, args);
             }));
  router.Add("DELETE", "/api/v1/deployments/{name}", kOwner,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return Remove(s, args);
             }));
  router.Add("POST", "/api/v1/deployments/{name}/delete", kOwner,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return Remove(s, args);
             }));
}

}  // namespace kiln::api::v1
