// The logs of a pipeline step (or of every step, on a pipeline run's page), streamed live
// from the pipeline run's Server-Sent Events while the step runs; a finished run replays them.
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router-dom";
import { pipelineRunEventsUrl } from "../../api/pipelines";
import { StateBadge } from "../../components/Status";

const MAX_LINES = 5000;

interface StreamState {
  lines: string[];
  dropped: number;
  stepStatus: Record<string, string>;
  phase: "connecting" | "live" | "ended" | "failed";
  runStatus?: string;
}

const initial: StreamState = { lines: [], dropped: 0, stepStatus: {}, phase: "connecting" };

function useLogStream(pipelineRunId: string, step: string | undefined, attempt: number) {
  const key = `${pipelineRunId}\n${step ?? ""}\n${attempt}`;
  const [held, setHeld] = useState<{ key: string; state: StreamState }>({ key, state: initial });
  useEffect(() => {
    // Each connection starts from nothing: a reconnect replays the log from its start.
    const setState = (next: (s: StreamState) => StreamState) =>
      setHeld((h) => ({ key, state: next(h.key === key ? h.state : initial) }));
    const source = new EventSource(pipelineRunEventsUrl(pipelineRunId, { step }));
    source.onopen = () => setState((s) => ({ ...s, phase: "live" }));
    source.addEventListener("log", (e) => {
      const data = JSON.parse((e as MessageEvent).data) as { step: string; line: string };
      const line = step ? data.line : `[${data.step}] ${data.line}`;
      setState((s) => appendLine(s, line));
    });
    source.addEventListener("step", (e) => {
      const data = JSON.parse((e as MessageEvent).data) as { step: string; status: string };
      setState((s) => ({ ...s, stepStatus: { ...s.stepStatus, [data.step]: data.status } }));
    });
    source.addEventListener("end", (e) => {
      const data = JSON.parse((e as MessageEvent).data) as { status: string };
      source.close();
      setState((s) => ({ ...s, phase: "ended", runStatus: data.status }));
    });
    source.onerror = () => {
      source.close();
      setState((s) => (s.phase === "ended" ? s : { ...s, phase: "failed" }));
    };
    return () => source.close();
  }, [key, pipelineRunId, step]);
  return held.key === key ? held.state : initial;
}

function appendLine(s: StreamState, line: string): StreamState {
  const lines = s.lines.length >= MAX_LINES ? s.lines.slice(1000) : s.lines;
  const dropped = s.dropped + (s.lines.length - lines.length);
  return { ...s, lines: [...lines, line], dropped };
}

export function StepLogs({ pipelineRunId, step }: { pipelineRunId: string; step?: string }) {
  const [attempt, setAttempt] = useState(0);
  const state = useLogStream(pipelineRunId, step, attempt);
  const box = useRef<HTMLPreElement>(null);
  const stuck = useRef(true);
  useEffect(() => {
    if (box.current && stuck.current) box.current.scrollTop = box.current.scrollHeight;
  }, [state.lines]);
  const status = step ? state.stepStatus[step] : state.runStatus;
  return (
    <section className="panel" data-testid="step-logs">
      <div className="toolbar">
        <h2 className="grow-title">{step ? `Log of step ${step}` : "Logs of every step"}</h2>
        {status && <StateBadge state={status} />}
        <span className="muted" data-testid="log-phase">
          {phaseText(state)}
        </span>
        {state.phase === "failed" && (
          <button onClick={() => setAttempt((a) => a + 1)} data-testid="log-reconnect">
            Reconnect
          </button>
        )}
        <Link to={`/pipeline-runs/${pipelineRunId}`}>pipeline run</Link>
      </div>
      {state.dropped > 0 && <p className="muted">{state.dropped} earlier lines not shown.</p>}
      <pre
        ref={box}
        className="log-view"
        data-testid="step-log"
        onScroll={(e) => {
          const el = e.currentTarget;
          stuck.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {state.lines.length ? state.lines.join("\n") : state.phase === "ended" ? "(no log lines)" : ""}
      </pre>
    </section>
  );
}

function phaseText(state: StreamState): string {
  switch (state.phase) {
    case "connecting":
      return "connecting…";
    case "live":
      return "live";
    case "ended":
      return `run ${state.runStatus?.toLowerCase() ?? "ended"}`;
    case "failed":
      return "the log stream stopped (the server refused or closed it)";
  }
}
