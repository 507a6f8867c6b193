// One deployment: its slots (model and canary) with state, drift and live quality, request
// rate and latency charts, the recent requests, its endpoints, a "Try it" form that sends a
// real prediction, and update / undeploy actions.
import { useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { deleteDeployment, getDeployment, type Deployment, type LoggedRequest } from "../../api/deployments";
import { ErrorBanner, Loading, StateBadge } from "../../components/Status";
import { ConfirmDialog } from "../../components/Dialog";
import { DeployDialog } from "../../components/DeployDialog";
import { Endpoints } from "./Endpoints";
import { RequestsTable } from "./RequestsTable";
import { QualityTable, SlotPanel } from "./SlotPanel";
import { TrafficCharts } from "./TrafficCharts";
import { TryIt } from "./TryIt";
import { useRequestLog } from "./useRequestLog";
import "./deployments.css";

const windowMs = 5 * 60 * 1000;

export function DeploymentView() {
  const name = useParams().name ?? "";
  const deployment = useApi(() => getDeployment(name), [name], 2000);
  const log = useRequestLog(name, windowMs);
  const example = useMemo(() => exampleRow(log.requests), [log.requests]);
  const d = deployment.data;
  return (
    <div>
      <ErrorBanner error={deployment.error} />
      {!d && deployment.loading && <Loading what="deployment" />}
      {d && <Header deployment={d} />}
      {d && (
        <>
          <div className="grid2">
            <SlotPanel title="Model" slot={d.primary} weight={d.canary ? 100 - d.canary_weight : undefined} />
            {d.canary_status && <SlotPanel title="Canary" slot={d.canary_status} weight={d.canary_weight} />}
          </div>
          <TrafficCharts requests={log.requests} windowMs={windowMs} asOf={log.asOf} />
          <div className="grid2">
            <div className="panel">
              <h2>Try it</h2>
              <TryIt name={d.name} ready={d.primary.serving_version > 0} example={example} onSent={log.refresh} />
            </div>
            <div className="panel">
              <h2>Live quality</h2>
              <QualityTable deployment={d} />
              <h2>Endpoints</h2>
              <Endpoints deployment={d} example={example} />
            </div>
          </div>
          <div className="panel">
            <h2>Recent requests</h2>
            <ErrorBanner error={log.error} />
            <RequestsTable requests={log.requests} />
          </div>
        </>
      )}
    </div>
  );
}

function Header({ deployment: d }: { deployment: Deployment }) {
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<"update" | "undeploy">();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  async function undeploy() {
    setBusy(true);
    try {
      await deleteDeployment(d.name);
      navigate("/deployments");
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }
  return (
    <div className="toolbar">
      <h1 style={{ margin: 0 }} data-testid="deployment-title">
        {d.name}
      </h1>
      <span data-testid="deployment-state">
        <StateBadge state={d.primary.state} />
      </span>
      <span className="mono muted">
        {d.model}
        {d.canary && ` + canary ${d.canary} (${d.canary_weight}%)`}
      </span>
      <span className="spacer" />
      <button onClick={() => setDialog("update")}>Update…</button>
      <button className="danger" onClick={() => setDialog("undeploy")} data-testid="undeploy">
        Undeploy
      </button>
      {dialog === "update" && (
        <DeployDialog
          defaultName={d.name}
          modelRef={d.model}
          initialCanary={d.canary ?? ""}
          initialWeight={d.canary ? String(d.canary_weight) : ""}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === "undeploy" && (
        <ConfirmDialog
          title="Undeploy"
          question={`Remove deployment ${d.name}? Requests to /serve/${d.name}/ will get 404.`}
          confirmLabel="Undeploy"
          busy={busy}
          error={<ErrorBanner error={error} />}
          onConfirm={undeploy}
          onClose={() => setDialog(undefined)}
        />
      )}
    </div>
  );
}

/** The first row of the newest logged request, to prefill the form and the curl example. */
function exampleRow(requests: LoggedRequest[]): Record<string, unknown> | undefined {
  const newest = requests[requests.length - 1];
  const inputs = newest?.inputs as
    { rows?: Record<string, unknown>[]; columns?: string[]; data?: unknown[][] } | undefined;
  if (inputs?.rows?.[0]) return inputs.rows[0];
  if (inputs?.columns && inputs.data?.[0])
    return Object.fromEntries(inputs.columns.map((c, i) => [c, inputs.data![0][i]]));
  return undefined;
}
