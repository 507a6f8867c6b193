// The saved pipelines: name, step count, last run (status and time), one page at a time.
import { Link } from "react-router-dom";
import { listPipelines, type PipelineSummary } from "../../api/pipelines";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBanner, Loading, StateBadge } from "../../components/Status";
import { formatTime } from "../../components/format";
import { DataTable, type Column } from "../../components/DataTable";
import { Pager, usePageTokens } from "../../components/Pager";
import "./pipelines.css";

const PAGE_SIZE = 50;

const columns: Column<PipelineSummary>[] = [
  { header: "Name", cell: (p) => <Link to={`/pipelines/${encodeURIComponent(p.name)}`}>{p.name}</Link> },
  { header: "Steps", cell: (p) => p.step_count, num: true },
  {
    header: "Last run",
    cell: (p) =>
      p.last_run ? (
        <Link to={`/pipeline-runs/${p.last_run.run_id}`}>
          <StateBadge state={p.last_run.status} />
        </Link>
      ) : (
        <span className="muted">never run</span>
      ),
  },
  { header: "Last run at", cell: (p) => formatTime(p.last_run?.created_ms) },
  { header: "Updated", cell: (p) => formatTime(p.updated_ms) },
];

export function PipelineList() {
  const pages = usePageTokens();
  const list = useApi(() => listPipelines(PAGE_SIZE, pages.token), [pages.token], 10000);
  const items = list.data?.items;
  return (
    <div>
      <div className="toolbar">
        <h1 style={{ margin: 0 }}>Pipelines</h1>
        <span className="spacer" />
        <Link to="/pipelines/new" className="button primary" data-testid="new-pipeline">
          New pipeline
        </Link>
      </div>
      <ErrorBanner error={list.error} />
      {!items && !list.error && <Loading what="pipelines" />}
      {items && items.length === 0 && <Empty>No saved pipelines yet. Create one with “New pipeline”.</Empty>}
      {items && items.length > 0 && (
        <DataTable
          rows={items}
          columns={columns}
          rowKey={(p) => p.name}
          testId="pipeline-table"
          rowTestId="pipeline-row"
        />
      )}
      <Pager pages={pages} nextToken={list.data?.next_page_token} />
    </div>
  );
}
