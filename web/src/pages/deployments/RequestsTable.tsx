// The newest logged requests of a deployment; clicking one shows its inputs and outputs.
import { useState } from "react";
import type { LoggedRequest, Prediction } from "../../api/deployments";
import { DataTable, type Column } from "../../components/DataTable";
import { Empty } from "../../components/Status";
import { formatNumber } from "../../components/format";
import { Dialog } from "../../components/Dialog";

const shown = 25;

export function RequestsTable({ requests }: { requests: LoggedRequest[] }) {
  const [open, setOpen] = useState<LoggedRequest>();
  const newest = requests.slice(-shown).reverse();
  if (newest.length === 0) return <Empty>No requests in the last minutes. Try the model below.</Empty>;
  return (
    <>
      <DataTable
        rows={newest}
        columns={columns}
        rowKey={(r) => r.request_id}
        testId="requests-table"
        rowTestId="request-row"
        rowProps={(r) => ({ className: "km-click", onClick: () => setOpen(r) })}
      />
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

const columns: Column<LoggedRequest>[] = [
  { header: "Request id", cell: (r) => r.request_id, className: "mono" },
  { header: "Time", cell: (r) => new Date(r.time_ms).toLocaleTimeString() },
  { header: "Version", cell: (r) => `v${r.version}` },
  { header: "Latency", cell: (r) => `${formatNumber(r.latency_ms, 3)} ms`, num: true },
  { header: "Outputs", cell: (r) => outputsText(r.outputs) },
];

function outputsText(outputs: Prediction[]): string {
  const labels = outputs.map((o) => String(o.predicted));
  return labels.length > 3 ? `${labels.slice(0, 3).join(", ")} … (${labels.length} rows)` : labels.join(", ");
}
