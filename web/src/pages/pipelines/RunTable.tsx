// A table of pipeline runs: status, start, duration, overrides and sweep, each linking to
// the run's live view and its tracking run.
import { Link } from "react-router-dom";
import type { PipelineRun } from "../../api/pipelines";
import { DataTable, type Column } from "../../components/DataTable";
import { Empty, StateBadge } from "../../components/Status";
import { formatDuration, formatTime } from "../../components/format";

export function RunTable({ runs }: { runs: PipelineRun[] }) {
  if (runs.length === 0) return <Empty>No runs yet.</Empty>;
  return (
    <DataTable
      rows={runs}
      columns={columns}
      rowKey={(r) => r.run_id}
      testId="pipeline-runs"
      rowTestId="pipeline-run-row"
    />
  );
}

const columns: Column<PipelineRun>[] = [
  {
    header: "Run",
    cell: (r) => <Link to={`/pipeline-runs/${r.run_id}`}>{r.run_id.slice(0, 12)}</Link>,
    className: "mono",
  },
  { header: "Status", cell: (r) => <StateBadge state={r.status} /> },
  { header: "Created", cell: (r) => formatTime(r.created_ms) },
  {
    header: "Duration",
    cell: (r) => (r.ended_ms && r.started_ms ? formatDuration(r.ended_ms - r.started_ms) : "—"),
    num: true,
  },
  { header: "Overrides", cell: (r) => r.overrides.join(" ") || "—", className: "mono" },
  { header: "Sweep", cell: (r) => (r.sweep_id ? r.sweep_id.slice(0, 8) : "—"), className: "mono" },
  { header: "Tracking", cell: (r) => <Link to={`/runs/${r.run_id}`}>run</Link> },
];
