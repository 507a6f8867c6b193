// The state of a deployment's model and canary slots, their drift per feature, and the live
// quality per version from feedback.
import type { Deployment, DriftEntry, Quality, Slot } from "../../api/deployments";
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
        <dd data-testid="serving-version">{slot.serving_version ? `v${slot.serving_version}` : "nothing loaded yet"}</dd>
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
      {slot.error && <div className="error-banner" data-testid="slot-error">{slot.error}</div>}
      <DriftTable drift={slot.drift} />
    </div>
  );
}

function DriftTable({ drift }: { drift: DriftEntry[] | null }) {
  if (!drift) return <p className="muted">No drift: the package has no training profile, or nothing is loaded.</p>;
  return (
    <table className="data" data-testid="drift-table">
      <thead>
        <tr>
          <th>Feature</th>
          <th className="num">PSI</th>
          <th>Level</th>
          <th className="num">Live rows</th>
        </tr>
      </thead>
      <tbody>
        {drift.map((d) => (
          <tr key={d.feature}>
            <td>{d.feature}</td>
            <td className="num">{d.live_rows ? d.psi.toFixed(3) : "—"}</td>
            <td>
              <StateBadge state={d.level} />
            </td>
            <td className="num">{d.live_rows}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function QualityTable({ deployment }: { deployment: Deployment }) {
  const quality = deployment.quality ?? [];
  if (quality.length === 0)
    return <p className="muted">No feedback yet: send the truth to {deployment.endpoints.feedback ?? "the feedback route"} with a request id.</p>;
  const regression = quality.some((q) => q.rmse !== undefined);
  return (
    <table className="data" data-testid="quality-table">
      <thead>
        <tr>
          <th>Version</th>
          <th className="num">Requests</th>
          <th className="num">Rows</th>
          {regression ? (
            <>
              <th className="num">RMSE</th>
              <th className="num">MAE</th>
            </>
          ) : (
            <>
              <th className="num">Correct</th>
              <th className="num">Accuracy</th>
            </>
          )}
        </tr>
      </thead>
      <tbody>
        {quality.map((q: Quality) => (
          <tr key={`${q.model}/${q.version}`}>
            <td>
              {q.model} v{q.version}
            </td>
            <td className="num">{q.requests}</td>
            <td className="num">{q.rows}</td>
            {regression ? (
              <>
                <td className="num">{formatNumber(q.rmse)}</td>
                <td className="num">{formatNumber(q.mae)}</td>
              </>
            ) : (
              <>
                <td className="num">{q.correct ?? "—"}</td>
                <td className="num">{q.accuracy === undefined ? "—" : `${(q.accuracy * 100).toFixed(1)}%`}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
