// The saved pipelines: name, step count, last run (status and time), one page at a time.
import { Link } from "react-router-dom";
import { listPipelines } from "../../api/pipelines";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBanner, Loading, StateBadge } from "../../components/Status";
import { formatTime } from "../../components/format";
import { Pager, usePageTokens } from "../../components/Pager";
import "./pipelines.css";

const PAGE_SIZE = 50;

export function PipelineList() {
  const pages = usePageTokens();
  const list = useApi(() => listPipelines(PAGE_SIZE, pages.current), [pages.current], 10000);
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
        <table className="data" data-testid="pipeline-table">
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Steps</th>
              <th>Last run</th>
              <th>Last run at</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.name} data-testid="pipeline-row">
                <td>
                  <Link to={`/pipelines/${encodeURIComponent(p.name)}`}>{p.name}</Link>
                </td>
                <td className="num">{p.step_count}</td>
                <td>
                  {p.last_run ? (
                    <Link to={`/pipeline-runs/${p.last_run.run_id}`}>
                      <StateBadge state={p.last_run.status} />
                    </Link>
                  ) : (
                    <span className="muted">never run</span>
                  )}
                </td>
                <td>{formatTime(p.last_run?.created_ms)}</td>
                <td>{formatTime(p.updated_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager pages={pages} nextToken={list.data?.next_page_token} />
    </div>
  );
}
