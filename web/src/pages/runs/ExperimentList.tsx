// The experiment list: every experiment (100 a page), linking to its run table.
import { Link } from "react-router-dom";
import { listExperiments } from "../../api/runs";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBanner, Loading } from "../../components/Status";
import { formatTime } from "../../components/format";
import { Pager, usePageTokens } from "../../components/Pager";
import "./runs.css";

export function ExperimentList() {
  const pages = usePageTokens();
  const loaded = useApi(() => listExperiments(pages.current), [pages.current]);
  const experiments = loaded.data?.experiments ?? [];
  return (
    <div>
      <h1>Experiments</h1>
      <ErrorBanner error={loaded.error} />
      {loaded.loading && !loaded.data && <Loading what="experiments" />}
      {loaded.data && experiments.length === 0 && <Empty>No experiments yet.</Empty>}
      {experiments.length > 0 && (
        <table className="data" data-testid="experiment-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>ID</th>
              <th>Created</th>
              <th>Last update</th>
            </tr>
          </thead>
          <tbody>
            {experiments.map((e) => (
              <tr key={e.experiment_id} data-testid="experiment-row">
                <td>
                  <Link to={`/experiments/${encodeURIComponent(e.experiment_id)}`}>{e.name}</Link>
                </td>
                <td className="mono">{e.experiment_id}</td>
                <td>{formatTime(e.creation_time)}</td>
                <td>{formatTime(e.last_update_time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager pages={pages} nextToken={loaded.data?.next_page_token} />
    </div>
  );
}
