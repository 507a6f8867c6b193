// The newest logged requests of a deployment; clicking one shows its inputs and outputs.
import { useState } from "react";
import type { LoggedRequest, Prediction } from "../../api/deployments";
import { Empty } from "../../components/Status";
import { formatNumber } from "../../components/format";
import { Dialog } from "../models/Dialog";

const shown = 25;

export function RequestsTable({ requests }: { requests: LoggedRequest[] }) {
  const [open, setOpen] = useState<LoggedRequest>();
  const newest = requests.slice(-shown).reverse();
  if (newest.length === 0) return <Empty>No requests in the last minutes. Try the model below.</Empty>;
  return (
    <>
      <table className="data" data-testid="requests-table">
        <thead>
          <tr>
            <th>Request id</th>
            <th>Time</th>
            <th>Version</th>
            <th className="num">Latency</th>
            <th>Outputs</th>
          </tr>
        </thead>
        <tbody>
          {newest.map((r) => (
            <tr key={r.request_id} className="km-click" onClick={() => setOpen(r)} data-testid="request-row">
              <td className="mono">{r.request_id}</td>
              <td>{new Date(r.time_ms).toLocaleTimeString()}</td>
              <td>v{r.version}</td>
              <td className="num">{formatNumber(r.latency_ms, 3)} ms</td>
              <td>{outputsText(r.outputs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && (
        <Dialog title={`Request ${open.request_id}`} onClose={() => setOpen(undefined)} testId="request-dialog">
          <h3>Inputs</h3>
          <pre className="km-json">{JSON.stringify(open.inputs, null, 2)}</pre>
          <h3>Outputs</h3>
          <pre className="km-json">{JSON.stringify(open.outputs, null, 2)}</pre>
        </Dialog>
      )}
    </>
  );
}

function outputsText(outputs: Prediction[]): string {
  const labels = outputs.map((o) => String(o.predicted));
  return labels.length > 3 ? `${labels.slice(0, 3).join(", ")} … (${labels.length} rows)` : labels.join(", ");
}
