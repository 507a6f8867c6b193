// A pipeline run, live: the run's status and a cancel button, its results (registered model,
// metrics per step, plots), the DAG with each step coloured by its state (from the run's SSE
// events); a click on a step shows its log as it is written, its timing, outputs and
// tracking run.
import { useMemo, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { cancelPipelineRun, getPipelineRun, TERMINAL_STATES, type PipelineRun } from "../../api/pipelines";
import { useApi } from "../../api/useApi";
import { ErrorBanner, Loading, StateBadge } from "../../components/Status";
import { formatDuration, formatTime } from "../../components/format";
import { useNow } from "../../components/useNow";
import { DagCanvas } from "./DagCanvas";
import { useManifests } from "./manifests";
import { RunResults } from "./RunResults";
import { useRunSteps } from "./runSteps";
import { StepDetail } from "./StepDetail";
import { useRunEvents } from "./useRunEvents";
import "./pipelines.css";

export function PipelineRunView() {
  const runId = useParams().runId ?? "";
  const run = useApi(() => getPipelineRun(runId), [runId]);
  const events = useRunEvents(runId, run.reload);
  const { steps, source } = useRunSteps(run.data);
  const manifests = useManifests(steps.flatMap((s) => (s.uses ? [s.uses] : [])));
  const [selected, setSelected] = useState<string>();
  const [actionError, setActionError] = useState<unknown>();

  const statuses = useMemo(() => {
    const out: Record<string, string> = {};
    for (const s of run.data?.steps ?? []) out[s.step] = s.status;
    for (const [step, e] of Object.entries(events.steps)) out[step] = e.status;
    return out;
  }, [run.data?.steps, events.steps]);

  const status = events.end?.status ?? run.data?.status ?? "";
  const finished = TERMINAL_STATES.includes(status);
  const cancel = () => cancelPipelineRun(runId).then(run.reload, setActionError);

  return (
    <div>
      <div className="toolbar">
        <h1 style={{ margin: 0 }}>
          Run of{" "}
          {run.data && <Link to={`/pipelines/${encodeURIComponent(run.data.pipeline)}`}>{run.data.pipeline}</Link>}
        </h1>
        {status && (
          <span data-testid="run-status" data-status={status}>
            <StateBadge state={status} />
          </span>
        )}
        <span className="spacer" />
        <Link to={`/runs/${runId}`} className="button" data-testid="tracking-run-link">
          Tracking run
        </Link>
        <button className="danger" onClick={cancel} disabled={finished || !run.data} data-testid="cancel-run">
          Cancel
        </button>
      </div>
      <ErrorBanner
        error={run.error ?? actionError}
        onClose={actionError ? () => setActionError(undefined) : undefined}
      />
      {events.streamError && !finished && <div className="muted">{events.streamError}</div>}
      {!run.data && !run.error && <Loading what="the run" />}
      {run.data && <RunSummary run={run.data} />}
      {run.data && <RunResults run={run.data} />}
      {(run.data?.error || events.end?.error) && (
        <pre data-testid="run-error">{events.end?.error || run.data?.error}</pre>
      )}
      {run.data && (
        <DagCanvas steps={steps} manifests={manifests} statuses={statuses} selected={selected} onSelect={setSelected} />
      )}
      {run.data && source !== "saved" && (
        <p className="muted" data-testid="edges-source">
          {source === "lineage"
            ? "Connections traced from the lineage of the steps that ran (this run's pipeline is not saved as it ran)."
            : "Connections are not shown: this run's pipeline is not saved as it ran."}
        </p>
      )}
      {run.data && !selected && <p className="muted">Click a step to see its log.</p>}
      {run.data && selected && (
        <StepDetail runId={runId} run={run.data} step={selected} live={events.steps[selected]} />
      )}
    </div>
  );
}

function RunSummary({ run }: { run: PipelineRun }) {
  const now = useNow(!TERMINAL_STATES.includes(run.status));
  const end = run.ended_ms || now;
  return (
    <dl className="kv panel">
      <dt>Run id</dt>
      <dd className="mono">{run.run_id}</dd>
      <dt>Started</dt>
      <dd>{formatTime(run.started_ms || run.created_ms)}</dd>
      <dt>Elapsed</dt>
      <dd>{run.started_ms ? formatDuration(end - run.started_ms) : "—"}</dd>
      <dt>Params</dt>
      <dd className="mono">
        {Object.entries(run.params ?? {})
          .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
          .join("  ") || "—"}
      </dd>
      {run.overrides.length > 0 && (
        <>
          <dt>Overrides</dt>
          <dd className="mono">{run.overrides.join(" ")}</dd>
        </>
      )}
      {run.sweep_id && (
        <>
          <dt>Sweep</dt>
          <dd className="mono">{run.sweep_id}</dd>
        </>
      )}
    </dl>
  );
}
