#include "pipeline/pipeline_records.h"

#include <utility>

#include "store/query_page.h"

namespace kiln::pipeline {
namespace {

using store::Row;
using store::Rows;
using store::Session;
using store::Value;

std::string NotFoundMessage(const std::string& name) { return "pipeline '" + name + "' not found"; }

PipelineDefinition DefinitionFromRow(const Row& row) {
  PipelineDefinition d;
  d.name = row.Text(0);
  d.spec = row.Text(1);
  d.file = row.Text(2);
  d.base_dir = row.Text(3);
  d.step_count = row.Int(4);
  d.created_ms = row.Int(5);
  d.updated_ms = row.Int(6);
  return d;
}

// The newest run per pipeline, joined in one query so a page costs one round trip.
constexpr const char* kListSql =
    "SELECT p.name, '', p.file, p.base_dir, p.step_count, p.created_ms, p.updated_ms, "
    "r.run_id, r.status, r.created_ms FROM pipelines p LEFT JOIN pipeline_runs r ON r.run_id = "
    "(SELECT q.run_id FROM pipeline_runs q WHERE q.pipeline_name = p.name ORDER BY "
    "q.created_ms DESC, q.run_id DESC LIMIT 1) ORDER BY p.name";

PipelineSummary SummaryFromRow(const Row& row) {
  PipelineSummary summary;
  summary.definition = DefinitionFromRow(row);
  if (!row.IsNull(7)) summary.last_run = LastRun{row.Text(7), row.Text(8), row.Int(9)};
  return summary;
}

}  // namespace

Status PipelineRecords::Upsert(const PipelineDefinition& d, int64_t now_ms) {
  return store_.Write([&](Session& s) {
    return s.Exec(
        "INSERT INTO pipelines (name, spec, file, base_dir, step_count, created_ms, updated_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, "
        "file = excluded.file, base_dir = excluded.base_dir, step_count = excluded.step_count, "
        "updated_ms = excluded.updated_ms WHERE pipelines.spec <> excluded.spec OR "
        "pipelines.file <> excluded.file OR pipelines.base_dir <> excluded.base_dir",
        {d.name, d.spec, d.file, d.base_dir, d.step_count, now_ms, now_ms});
  });
}

Result<PipelineDefinition> PipelineRecords::Get(const std::string& name) {
  PipelineDefinition definition;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Rows rows, s.Query("SELECT name, spec, file, base_dir, step_count, "
                                             "created_ms, updated_ms FROM pipelines WHERE name = ?",
                                             {name}));
    if (rows.empty()) return NotFound(NotFoundMessage(name));
    definition = DefinitionFromRow(rows[0]);
    return Status::Ok();
  }));
  return definition;
}

Result<Page<PipelineSummary>> PipelineRecords::List(const PipelineListQuery& query) {
  Page<PipelineSummary> page;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Page<Row> rows,
                          store::QueryPage(s, kListSql, {}, query.max_results, query.page_token));
    for (const Row& row : rows.items) page.items.push_back(SummaryFromRow(row));
    page.next_page_token = std::move(rows.next_page_token);
    return Status::Ok();
  }));
  return page;
}

Status PipelineRecords::Delete(const std::string& name) {
  return store_.Write([&](Session& s) -> Status {
    KILN_RETURN_IF_ERROR(s.Exec("DELETE FROM pipelines WHERE name = ?", {name}));
    if (s.Changes() == 0) return NotFound(NotFoundMessage(name));
    return Status::Ok();
  });
}

}  // namespace kiln::pipeline
