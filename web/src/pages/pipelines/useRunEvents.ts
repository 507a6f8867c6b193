// Follows a pipeline run's Server-Sent Events (GET /api/v1/pipeline-runs/ID/events): live
// step states for the canvas, and one step's log lines as they are written.
import { useEffect, useRef, useState } from "react";
import { pipelineRunEventsUrl } from "../../api/pipelines";

export interface StepEvent {
  step: string;
  status: string;
  attempt: number;
  message: string;
  elapsed_ms: number;
}

export interface RunEnd {
  status: string;
  error: string;
}

interface RunEvents {
  runId: string; // the run these events are of
  steps: Record<string, StepEvent>;
  end?: RunEnd;
  streamError?: string;
}

/** Step states as they change, and the run's end; `onChange` is called on each event. */
export function useRunEvents(runId: string, onChange?: () => void) {
  const [events, setEvents] = useState<RunEvents>({ runId, steps: {} });
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  }, [onChange]);
  useEffect(() => {
    const update = (patch: (e: RunEvents) => Partial<RunEvents>) =>
      setEvents((prev) => {
        const base = prev.runId === runId ? prev : { runId, steps: {} };
        return { ...base, ...patch(base) };
      });
    const source = new EventSource(pipelineRunEventsUrl(runId, { logs: false }));
    source.addEventListener("step", (e) => {
      const event = JSON.parse((e as MessageEvent).data) as StepEvent;
      update((prev) => ({ steps: { ...prev.steps, [event.step]: event } }));
      if (event.status !== "RUNNING") changed.current?.();
    });
    source.addEventListener("end", (e) => {
      update(() => ({ end: JSON.parse((e as MessageEvent).data) as RunEnd }));
      source.close();
      changed.current?.();
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) update(() => ({ streamError: "the live event stream closed" }));
    };
    source.onopen = () => update(() => ({ streamError: undefined }));
    return () => source.close();
  }, [runId]);
  // Another run's events are never shown, not even for a moment.
  const current = events.runId === runId ? events : { runId, steps: {} as Record<string, StepEvent> };
  return { steps: current.steps, end: current.end, streamError: current.streamError };
}

/** The log lines of one step, streamed from its start; empty when `step` is undefined. */
export function useStepLog(runId: string, step: string | undefined) {
  const key = `${runId}\n${step ?? ""}`;
  const [log, setLog] = useState<{ key: string; lines: string[]; done: boolean }>({ key, lines: [], done: false });
  useEffect(() => {
    if (!step) return;
    const update = (patch: (l: { lines: string[]; done: boolean }) => { lines?: string[]; done?: boolean }) =>
      setLog((prev) => {
        const base = prev.key === key ? prev : { key, lines: [], done: false };
        return { ...base, ...patch(base) };
      });
    const source = new EventSource(pipelineRunEventsUrl(runId, { step }));
    let pending: string[] = [];
    const flush = setInterval(() => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      update((prev) => ({ lines: [...prev.lines, ...batch].slice(-5000) }));
    }, 200);
    source.addEventListener("log", (e) => {
      const event = JSON.parse((e as MessageEvent).data) as { step: string; line: string };
      if (event.step === step) pending.push(event.line);
    });
    source.addEventListener("end", () => {
      source.close();
      update(() => ({ done: true }));
    });
    return () => {
      clearInterval(flush);
      source.close();
    };
  }, [key, runId, step]);
  return log.key === key ? { lines: log.lines, done: log.done } : { lines: [] as string[], done: false };
}
