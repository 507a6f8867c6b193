#include "api/render.h"

#include <cmath>

namespace kiln::api {

using nlohmann::json;

json RenderDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

json RenderTags(const std::vector<tracking::Tag>& tags) {
  json out = json::array();
  for (const auto& tag : tags) out.push_back({{"key", tag.key}, {"value", tag.value}});
  return out;
}

json RenderMetric(const tracking::Metric& m) {
  return {{"key", m.key},
          {"value", RenderDouble(m.value)},
          {"timestamp", m.timestamp},
          {"step", m.step}};
}

json RenderExperiment(const tracking::Experiment& e) {
  json out = {{"experiment_id", e.experiment_id},         {"name", e.name},
              {"artifact_location", e.artifact_location}, {"lifecycle_stage", e.lifecycle_stage},
              {"creation_time", e.creation_time},         {"last_update_time", e.last_update_time}};
  if (!e.tags.empty()) out["tags"] = RenderTags(e.tags);
  return out;
}

json RenderRunInfo(const tracking::RunInfo& info) {
  json out = {{"run_id", info.run_id},
              {"run_uuid", info.run_id},
              {"run_name", info.run_name},
              {"experiment_id", info.experiment_id},
              {"user_id", info.user_id},
              {"status", info.status},
              {"start_time", info.start_time},
              {"artifact_uri", info.artifact_uri},
              {"lifecycle_stage", info.lifecycle_stage}};
  if (info.end_time) out["end_time"] = *info.end_time;
  return out;
}

namespace {

json RenderInputs(const std::vector<tracking::DatasetInput>& inputs) {
  json list = json::array();
  for (const auto& input : inputs) {
    const auto& d = input.dataset;
    json dataset = {{"name", d.name},
                    {"digest", d.digest},
                    {"source_type", d.source_type},
                    {"source", d.source}};
    if (!d.schema.empty()) dataset["schema"] = d.schema;
    if (!d.profile.empty()) dataset["profile"] = d.profile;
    json item = {{"dataset", dataset}};
    if (!input.tags.empty()) item["tags"] = RenderTags(input.tags);
    list.push_back(std::move(item));
  }
  return {{"dataset_inputs", list}};
}

}  // namespace

json RenderRun(const tracking::Run& run) {
  json data = json::object();
  if (!run.metrics.empty()) {
    json metrics = json::array();
    for (const auto& m : run.metrics) metrics.push_back(RenderMetric(m));
    data["metrics"] = std::move(metrics);
  }
  if (!run.params.empty()) data["params"] = RenderTags(run.params);
  if (!run.tags.empty()) data["tags"] = RenderTags(run.tags);
  return {{"info", RenderRunInfo(run.info)}, {"data", data}, {"inputs", RenderInputs(run.inputs)}};
}

json RenderModelVersion(const registry::ModelVersion& v) {
  json out = {{"name", v.name},
              {"version", v.version},
              {"creation_timestamp", v.creation_timestamp},
              {"last_updated_timestamp", v.last_updated_timestamp},
              {"current_stage", v.current_stage},
              {"description", v.description},
              {"source", v.source},
              {"run_id", v.run_id},
              {"status", v.status},
              {"run_link", v.run_link}};
  if (!v.user_id.empty()) out["user_id"] = v.user_id;
  if (!v.status_message.empty()) out["status_message"] = v.status_message;
  if (!v.tags.empty()) out["tags"] = RenderTags(v.tags);
  if (!v.aliases.empty()) out["aliases"] = v.aliases;
  return out;
}

json RenderRegisteredModel(const registry::RegisteredModel& m) {
  json out = {{"name", m.name},
              {"creation_timestamp", m.creation_timestamp},
              {"last_updated_timestamp", m.last_updated_timestamp}};
  if (!m.description.empty()) out["description"] = m.description;
  if (!m.latest_versions.empty()) {
    json versions = json::array();
    for (const auto& v : m.latest_versions) versions.push_back(RenderModelVersion(v));
    out["latest_versions"] = std::move(versions);
  }
  if (!m.tags.empty()) out["tags"] = RenderTags(m.tags);
  if (!m.aliases.empty()) {
    json aliases = json::array();
    for (const auto& a : m.aliases) aliases.push_back({{"alias", a.alias}, {"version", a.version}});
    out["aliases"] = std::move(aliases);
  }
  return out;
}

}  // namespace kiln::api
