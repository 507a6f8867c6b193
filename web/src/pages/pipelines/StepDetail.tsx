// One step of a run: status, attempts, elapsed time, outputs, its tracking run, and its log
// streamed live.
import { useEffect, useRef } from "react";
import { Link } from "react-router-dom";
import type { PipelineRun, StepOutput } from "../../api/pipelines";
import { DataTable, type Column } from "../../components/DataTable";
import { StateBadge } from "../../components/Status";
import { formatDuration } from "../../components/format";
import { useNow } from "../../components/useNow";
import { useStepLog, type StepEvent } from "./useRunEvents";

interface Props {
  runId: string;
  run: PipelineRun;
  step: string;
  live?: StepEvent;
}

const outputColumns: Column<StepOutput>[] = [
  { header: "Output", cell: (o) => o.name },
  { header: "Type", cell: (o) => `${o.type}${o.folder ? " (folder)" : ""}` },
  { header: "Digest", cell: (o) => `${o.digest.slice(0, 16)}…`, className: "mono" },
];

export function StepDetail({ runId, run, step, live }: Props) {
  const record = run.steps?.find((s) => s.step === step);
  const status = live?.status ?? record?.status ?? "PENDING";
  const now = useNow(status === "RUNNING");
  const log = useStepLog(runId, step);
  const logRef = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [log.lines]);

  const elapsed =
    status === "RUNNING" && record?.started_ms
      ? now - record.started_ms
      : record?.ended_ms && record.started_ms
        ? record.ended_ms - record.started_ms
        : live && live.status !== "RUNNING"
          ? live.elapsed_ms
          : undefined;

  return (
    <div className="panel" data-testid="step-detail" style={{ marginTop: "1rem" }}>
      <div className="toolbar">
        <h2 style={{ margin: 0 }}>{step}</h2>
        <StateBadge state={status} />
        <span className="muted">elapsed {formatDuration(elapsed)}</span>
        {record && record.attempts > 1 && <span className="muted">attempts {record.attempts}</span>}
        {record?.cached && <span className="badge">cache hit</span>}
        <span className="spacer" />
        {record?.run_id && (
          <Link to={`/runs/${record.run_id}`} data-testid="step-tracking-link">
            tracking run
          </Link>
        )}
      </div>
      {(live?.message || record?.error) && <div className="field-error">{live?.message || record?.error}</div>}
      {record && record.outputs.length > 0 && (
        <DataTable
          rows={record.outputs}
          columns={outputColumns}
          rowKey={(o) => o.name}
          style={{ marginBottom: "0.8rem" }}
        />
      )}
      <h3>Log</h3>
      <pre className="log-view" ref={logRef} data-testid="step-log">
        {log.lines.length ? log.lines.join("\n") : log.done ? "(no output)" : "waiting for output…"}
      </pre>
    </div>
  );
}
