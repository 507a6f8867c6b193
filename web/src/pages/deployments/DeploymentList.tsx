// Every deployment with the state of its model and canary, refreshed every few seconds.
import { Link } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { listDeployments, type Slot } from "../../api/deployments";
import { Empty, ErrorBanner, Loading, StateBadge } from "../../components/Status";
import { formatTime } from "../../components/format";

export function DeploymentList() {
  const list = useApi(listDeployments, [], 3000);
  return (
    <div>
      <h1>Deployments</h1>
      <ErrorBanner error={list.error} />
      {!list.data && list.loading && <Loading what="deployments" />}
      {list.data?.length === 0 && <Empty>No deployments yet: deploy a model version from its model's page.</Empty>}
      {!!list.data?.length && (
        <table className="data">
          <thead>
            <tr>
              <th>Name</th>
              <th>Model</th>
              <th>Canary</th>
              <th className="num">Canary weight</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((d) => (
              <tr key={d.name} data-testid="deployment-row">
                <td>
                  <Link to={`/deployments/${encodeURIComponent(d.name)}`}>{d.name}</Link>
                </td>
                <td>
                  <SlotSummary slot={d.primary} />
                </td>
                <td>{d.canary_status ? <SlotSummary slot={d.canary_status} /> : <span className="muted">—</span>}</td>
                <td className="num">{d.canary ? `${d.canary_weight}%` : "—"}</td>
                <td>{formatTime(d.updated_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
