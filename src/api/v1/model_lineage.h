// The lineage of a model version as one graph (GET /api/v1/models/{name}/versions/{version}/
// lineage, documented in docs/api.md): its package traced along the pipeline run that
// produced it (exec/artifact_lineage.h: first producing step runs, cached re-uses folded into
// a count, no steps of unrelated runs), plus the version's own run when no pipeline made it.
#pragma once

#include <nlohmann/json.hpp>

#include "api/endpoint.h"
#include "pipeline/run_records.h"

namespace kiln::api::v1 {

// {"src_kind", "src_id", "dst_kind", "dst_id", "label"} for one edge. Pure function.
nlohmann::json RenderLineageEdge(const pipeline::LineageEdge& edge);

// {"model_version", "source_run"?, "nodes", "edges"} for version `version` of `name`. Reads
// only. Errors: kNotFound for an unknown model or version, kInternal for storage failures.
Result<nlohmann::json> ModelVersionLineage(Services& services, const std::string& name,
                                           const std::string& version);

}  // namespace kiln::api::v1
