// A deployment's routes, with a ready-to-copy curl for the native predict route.
import { useState } from "react";
import type { Deployment } from "../../api/deployments";
import { DataTable } from "../../components/DataTable";
import "./deployments.css";

export function Endpoints({ deployment, example }: { deployment: Deployment; example?: Record<string, unknown> }) {
  const origin = window.location.origin;
  const body = JSON.stringify({ rows: [example ?? {}] });
  const curl = `curl -s ${origin}${deployment.endpoints.predict} \\\n  -H 'Content-Type: application/json' \\\n  -d '${body}'`;
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard?.writeText(curl).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <div data-testid="endpoints">
      <DataTable
        rows={Object.entries(deployment.endpoints)}
        columns={[{ cell: ([kind]) => kind }, { cell: ([, path]) => origin + path, className: "mono" }]}
        rowKey={([kind]) => kind}
      />
      <h3>curl</h3>
      <div className="km-copy">
        <pre data-testid="curl">{curl}</pre>
        <button onClick={copy}>{copied ? "Copied" : "Copy"}</button>
      </div>
    </div>
  );
}
