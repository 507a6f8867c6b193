#include "api/v1/deployment_render.h"

namespace kiln::api::v1 {
namespace {

using nlohmann::json;

json RenderDrift(const serving::SlotStatus& slot, int64_t min_rows) {
  if (!slot.live || !slot.live->drift) return nullptr;
  json out = json::array();
  for (const serving::FeatureDrift& f : slot.live->drift->Report(min_rows)) {
    // Below the minimum rows the PSI reads "major" on any model: it is not given.
    out.push_back({{"feature", f.feature},
                   {"psi", f.has_level() ? json(f.psi) : json(nullptr)},
                   {"level", serving::DriftLevelName(f.level)},
                   {"live_rows", f.live_rows},
                   {"min_rows", f.min_rows},
                   {"unseen_values", f.unseen_values}});
  }
  return out;
}

json RenderSlot(const serving::SlotStatus& slot, int64_t drift_min_rows) {
  return {{"drift", RenderDrift(slot, drift_min_rows)},
          {"ref", slot.ref.ToString()},
          {"serving_version", slot.serving_version},
          {"target_version", slot.target_version},
          {"state", slot.state},
          {"error", slot.error},
          {"loaded_ms", slot.loaded_ms}};
}

}  // namespace

json RenderDeployment(const serving::DeploymentStatus& d) {
  const std::string& name = d.spec.name;
  return {
      {"name", name},
      {"model", d.spec.model.ToString()},
      {"canary", d.spec.canary ? json(d.spec.canary->ToString()) : json(nullptr)},
      {"canary_weight", d.spec.canary_weight},
      {"strict_inputs", d.policy.strict_inputs},
      {"drift_min_rows", d.policy.drift_min_rows},
      {"created_ms", d.spec.created_ms},
      {"updated_ms", d.spec.updated_ms},
      {"primary", RenderSlot(d.primary, d.policy.drift_min_rows)},
      {"canary_status", d.canary ? RenderSlot(*d.canary, d.policy.drift_min_rows) : json(nullptr)},
      {"endpoints",
       {{"predict", "/serve/" + name + "/predict"},
        {"invocations", "/serve/" + name + "/invocations"},
        {"feedback", "/serve/" + name + "/feedback"},
        {"openapi", "/serve/" + name + "/openapi.json"},
        {"kserve_infer", "/v2/models/" + name + "/infer"}}}};
}

json RenderQuality(const std::vector<serving::VersionQuality>& quality) {
  json out = json::array();
  for (const serving::VersionQuality& q : quality) {
    json v = {
        {"model", q.model}, {"version", q.version}, {"requests", q.requests}, {"rows", q.rows}};
    if (q.regressor) {
      v["rmse"] = q.rmse;
      v["mae"] = q.mae;
    } else {
      v["correct"] = q.correct;
      v["accuracy"] = q.accuracy;
    }
    out.push_back(std::move(v));
  }
  return out;
}

json RenderLoggedRequest(const serving::LoggedRequest& r) {
  return {{"request_id", r.request_id},
          {"time_ms", r.time_ms},
          {"model", r.model},
          {"version", r.version},
          {"latency_ms", r.latency_ms},
          {"inputs", json::parse(r.inputs_json, nullptr, false)},
          {"outputs", json::parse(r.outputs_json, nullptr, false)}};
}

}  // namespace kiln::api::v1
