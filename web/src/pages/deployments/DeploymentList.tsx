// Every deployment with the state of its model and canary, refreshed every few seconds.
import { Link } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { listDeployments, type Deployment, type Slot } from "../../api/deployments";
import { DataTable, type Column } from "../../components/DataTable";
import { Empty, ErrorBanner, Loading, StateBadge } from "../../components/Status";
import { formatTime } from "../../components/format";

const columns: Column<Deployment>[] = [
  { header: "Name", cell: (d) => <Link to={`/deployments/${encodeURIComponent(d.name)}`}>{d.name}</Link> },
  { header: "Model", cell: (d) => <SlotSummary slot={d.primary} /> },
  {
    header: "Canary",
    cell: (d) => (d.canary_status ? <SlotSummary slot={d.canary_status} /> : <span className="muted">—</span>),
  },
  { header: "Canary weight", cell: (d) => (d.canary ? `${d.canary_weight}%` : "—"), num: true },
  { header: "Updated", cell: (d) => formatTime(d.updated_ms) },
];

export function DeploymentList() {
  const list = useApi(listDeployments, [], 3000);
  return (
    <div>
      <h1>Deployments</h1>
      <ErrorBanner error={list.error} />
      {!list.data && list.loading && <Loading what="deployments" />}
      {list.data?.length === 0 && <Empty>No deployments yet: deploy a model version from its model's page.</Empty>}
      {!!list.data?.length && (
        <DataTable rows={list.data} columns={columns} rowKey={(d) => d.name} rowTestId="deployment-row" />
      )}
    </div>
  );
}

/** `REF -> vN` and the state, as `kiln deployments ls` prints it. */
export function SlotSummary({ slot }: { slot: Slot }) {
  return (
    <span>
      <span className="mono">{slot.ref}</span>
      {slot.serving_version > 0 && <span className="muted"> → v{slot.serving_version}</span>}{" "}
      <StateBadge state={slot.state} />
      {slot.error && <span className="field-error"> {slot.error}</span>}
    </span>
  );
}
