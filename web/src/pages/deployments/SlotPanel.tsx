// The state of a deployment's model and canary slots, their drift per feature, and the live
// quality per version from feedback.
import type { Deployment, DriftEntry, Quality, Slot } from "../../api/deployments";
import { DataTable, type Column } from "../../components/DataTable";
import { StateBadge } from "../../components/Status";
import { formatNumber, formatTime } from "../../components/format";

export function SlotPanel({ title, slot, weight }: { title: string; slot: Slot; weight?: number }) {
  return (
    <div className="panel" data-testid={`slot-${title.toLowerCase()}`}>
      <h3>
        {title} <StateBadge state={slot.state} />
      </h3>
      <dl className="kv">
        <dt>reference</dt>
        <dd className="mono">{slot.ref}</dd>
        <dt>serving</dt>
        <dd data-testid="serving-version">
          {slot.serving_version ? `v${slot.serving_version}` : "nothing loaded yet"}
        </dd>
        <dt>target</dt>
        <dd>{slot.target_version ? `v${slot.target_version}` : "unresolved"}</dd>
        {weight !== undefined && (
          <>
            <dt>traffic</dt>
            <dd>{weight}% of requests</dd>
          </>
        )}
        <dt>loaded</dt>
        <dd>{formatTime(slot.loaded_ms)}</dd>
      </dl>
      {slot.error && (
        <div className="error-banner" data-testid="slot-error">
          {slot.error}
        </div>
      )}
      <DriftTable drift={slot.drift} />
    </div>
  );
}

function DriftTable({ drift }: { drift: DriftEntry[] | null }) {
  if (!drift) return <p className="muted">No drift: the package has no training profile, or nothing is loaded.</p>;
  return <DataTable rows={drift} columns={driftColumns} rowKey={(d) => d.feature} testId="drift-table" />;
}

// Below its minimum rows a feature's PSI reads "major" on any model: no PSI, no level.
function DriftLevel({ drift }: { drift: DriftEntry }) {
  if (drift.level === "insufficient_data")
    return (
      <span className="muted" data-testid="drift-insufficient">
        insufficient data ({drift.live_rows} of {drift.min_rows} rows)
      </span>
    );
  if (drift.level === "no_data") return <span className="muted">no data</span>;
  return <StateBadge state={drift.level} />;
}

const driftColumns: Column<DriftEntry>[] = [
  { header: "Feature", cell: (d) => d.feature },
  { header: "PSI", cell: (d) => (d.psi === null ? "—" : d.psi.toFixed(3)), num: true },
  { header: "Level", cell: (d) => <DriftLevel drift={d} /> },
  { header: "Live rows", cell: (d) => d.live_rows, num: true },
  {
    header: "Unseen",
    cell: (d) => (d.unseen_values && d.live_rows ? `${((d.unseen_values / d.live_rows) * 100).toFixed(1)}%` : "—"),
    num: true,
  },
];

export function QualityTable({ deployment }: { deployment: Deployment }) {
  const quality = deployment.quality ?? [];
  if (quality.length === 0)
    return (
      <p className="muted">
        No feedback yet: send the truth to {deployment.endpoints.feedback ?? "the feedback route"} with a request id.
      </p>
    );
  const regression = quality.some((q) => q.rmse !== undefined);
  const columns = [...qualityColumns, ...(regression ? regressionColumns : classificationColumns)];
  return (
    <DataTable rows={quality} columns={columns} rowKey={(q) => `${q.model}/${q.version}`} testId="quality-table" />
  );
}

const qualityColumns: Column<Quality>[] = [
  { header: "Version", cell: (q) => `${q.model} v${q.version}` },
  { header: "Requests", cell: (q) => q.requests, num: true },
  { header: "Rows", cell: (q) => q.rows, num: true },
];

const regressionColumns: Column<Quality>[] = [
  { header: "RMSE", cell: (q) => formatNumber(q.rmse), num: true },
  { header: "MAE", cell: (q) => formatNumber(q.mae), num: true },
];

const classificationColumns: Column<Quality>[] = [
  { header: "Correct", cell: (q) => q.correct ?? "—", num: true },
  {
    header: "Accuracy",
    cell: (q) => (q.accuracy === undefined ? "—" : `${(q.accuracy * 100).toFixed(1)}%`),
    num: true,
  },
];
