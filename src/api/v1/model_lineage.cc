#include "api/v1/model_lineage.h"

#include <set>

#include "exec/artifact_lineage.h"
#include "registry/package_source.h"

namespace kiln::api::v1 {

using nlohmann::json;

namespace {

json RenderStep(const exec::LineageStep& step) {
  return {{"kind", "step_run"},
          {"id", step.run_id},
          {"step", step.step},
          {"pipeline_run_id", step.pipeline_run_id},
          {"pipeline_name", step.pipeline_name},
          {"started_ms", step.started_ms},
          {"reused_by", step.reused_by}};
}

// Adds the artifact and dataset nodes `edges` name (step runs are already nodes).
void AddEndpointNodes(const std::vector<pipeline::LineageEdge>& edges, json& nodes,
                      std::set<std::pair<std::string, std::string>>& seen) {
  for (const pipeline::LineageEdge& e : edges) {
    for (const auto& [kind, id] : {std::pair{e.src_kind, e.src_id}, {e.dst_kind, e.dst_id}}) {
      if (kind != "step_run" && seen.insert({kind, id}).second) {
        nodes.push_back({{"kind", kind}, {"id", id}});
      }
    }
  }
}

}  // namespace

json RenderLineageEdge(const pipeline::LineageEdge& e) {
  return {{"src_kind", e.src_kind},
          {"src_id", e.src_id},
          {"dst_kind", e.dst_kind},
          {"dst_id", e.dst_id},
          {"label", e.label}};
}

Result<json> ModelVersionLineage(Services& services, const std::string& name,
                                 const std::string& version) {
  KILN_ASSIGN_OR_RETURN(registry::ModelVersion mv,
                        services.registry.GetModelVersion(name, version));
  const std::string mv_id = mv.name + "/" + mv.version;
  json nodes = json::array({{{"kind", "model_version"}, {"id", mv_id}}});
  json edges = json::array();
  json out = {
      {"model_version",
       {{"name", mv.name}, {"version", mv.version}, {"source", mv.source}, {"run_id", mv.run_id}}}};
  std::set<std::pair<std::string, std::string>> seen{{"model_version", mv_id}};
  exec::ArtifactLineage traced;
  if (Result<std::string> digest = registry::PackageDigest(mv.source); digest.ok()) {
    if (!mv.run_id.empty()) {
      KILN_ASSIGN_OR_RETURN(traced, exec::TraceArtifact(services.pipelines.records(),
                                                        services.tracking, mv.run_id, *digest));
    }
    const pipeline::LineageEdge source{"artifact", *digest, "model_version", mv_id, "source"};
    AddEndpointNodes({source}, nodes, seen);
    edges.push_back(RenderLineageEdge(source));
  }
  if (traced.steps.empty() && !mv.run_id.empty()) {
    // Not made by a pipeline (e.g. registered through the MLflow API): its run is the source.
    nodes.push_back({{"kind", "run"}, {"id", mv.run_id}});
    edges.push_back(RenderLineageEdge({"run", mv.run_id, "model_version", mv_id, "run"}));
  }
  for (const exec::LineageStep& step : traced.steps) nodes.push_back(RenderStep(step));
  if (!traced.steps.empty()) out["source_run"] = RenderStep(traced.steps.front());
  AddEndpointNodes(traced.edges, nodes, seen);
  for (const pipeline::LineageEdge& e : traced.edges) edges.push_back(RenderLineageEdge(e));
  out["nodes"] = std::move(nodes);
  out["edges"] = std::move(edges);
  return out;
}

}  // namespace kiln::api::v1
