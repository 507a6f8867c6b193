// A table of pipeline runs: status, start, duration, overrides and sweep, each linking to
// the run's live view and its tracking run.
import { Link } from "react-router-dom";
import type { PipelineRun } from "../../api/pipelines";
import { Empty, StateBadge } from "../../components/Status";
import { formatDuration, formatTime } from "../../components/format";

export function RunTable({ runs }: { runs: PipelineRun[] }) {
  if (runs.length === 0) return <Empty>No runs yet.</Empty>;
  return (
    <table className="data" data-testid="pipeline-runs">
      <thead>
        <tr>
          <th>Run</th>
          <th>Status</th>
          <th>Created</th>
          <th className="num">Duration</th>
          <th>Overrides</th>
          <th>Sweep</th>
          <th>Tracking</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.run_id} data-testid="pipeline-run-row">
            <td className="mono">
              <Link to={`/pipeline-runs/${r.run_id}`}>{r.run_id.slice(0, 12)}</Link>
            </td>
            <td>
              <StateBadge state={r.status} />
            </td>
            <td>{formatTime(r.created_ms)}</td>
            <td className="num">{r.ended_ms && r.started_ms ? formatDuration(r.ended_ms - r.started_ms) : "—"}</td>
            <td className="mono">{r.overrides.join(" ") || "—"}</td>
            <td className="mono">{r.sweep_id ? r.sweep_id.slice(0, 8) : "—"}</td>
            <td>
              <Link to={`/runs/${r.run_id}`}>run</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
