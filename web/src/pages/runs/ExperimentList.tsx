// The experiment list: every experiment (100 a page), linking to its run table.
import { Link } from "react-router-dom";
import { type Experiment, listExperiments } from "../../api/runs";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBanner, Loading } from "../../components/Status";
import { formatTime } from "../../components/format";
import { DataTable, type Column } from "../../components/DataTable";
import { Pager, usePageTokens } from "../../components/Pager";
import "./runs.css";

const columns: Column<Experiment>[] = [
  { header: "Name", cell: (e) => <Link to={`/experiments/${encodeURIComponent(e.experiment_id)}`}>{e.name}</Link> },
  { header: "ID", cell: (e) => e.experiment_id, className: "mono" },
  { header: "Created", cell: (e) => formatTime(e.creation_time) },
  { header: "Last update", cell: (e) => formatTime(e.last_update_time) },
];

export function ExperimentList() {
  const pages = usePageTokens();
  const loaded = useApi(() => listExperiments(pages.token), [pages.token]);
  const experiments = loaded.data?.experiments ?? [];
  return (
    <div>
      <h1>Experiments</h1>
      <ErrorBanner error={loaded.error} />
      {loaded.loading && !loaded.data && <Loading what="experiments" />}
      {loaded.data && experiments.length === 0 && <Empty>No experiments yet.</Empty>}
      {experiments.length > 0 && (
        <DataTable
          rows={experiments}
          columns={columns}
          rowKey={(e) => e.experiment_id}
          testId="experiment-table"
          rowTestId="experiment-row"
        />
      )}
      <Pager pages={pages} nextToken={loaded.data?.next_page_token} />
    </div>
  );
}
