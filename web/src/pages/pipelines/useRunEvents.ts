// Follows a pipeline run's Server-Sent Events (GET /api/v1/pipeline-runs/ID/events): live
// step states for the canvas, and one step's log lines as they are written.
import { useEffect, useState } from "react";
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

/** Step states as they change, and the run's end; `onChange` is called on each event. */
export function useRunEvents(runId: string, onChange?: () => void) {
  const [steps, setSteps] = useState<Record<string, StepEvent>>({});
  const [end, setEnd] = useState<RunEnd>();
  const [streamError, setStreamError] = useState<string>();
  useEffect(() => {
    setSteps({});
    setEnd(undefined);
    const source = new EventSource(pipelineRunEventsUrl(runId, { logs: false }));
    source.addEventListener("step", (e) => {
      const event = JSON.parse((e as MessageEvent).data) as StepEvent;
      setSteps((prev) => ({ ...prev, [event.step]: event }));
      if (event.status !== "RUNNING") onChange?.();
    });
    source.addEventListener("end", (e) => {
      setEnd(JSON.parse((e as MessageEvent).data) as RunEnd);
      source.close();
      onChange?.();
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) setStreamError("the live event stream closed");
    };
    source.onopen = () => setStreamError(undefined);
    return () => source.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runId]);
  return { steps, end, streamError };
}

/** The log lines of one step, streamed from its start; empty when `step` is undefined. */
export function useStepLog(runId: string, step: string | undefined) {
  const [lines, setLines] = useState<string[]>([]);
  const [done, setDone] = useState(false);
  useEffect(() => {
    setLines([]);
    setDone(false);
    if (!step) return;
    const source = new EventSource(pipelineRunEventsUrl(runId, { step }));
    let pending: string[] = [];
    const flush = setInterval(() => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      setLines((prev) => [...prev, ...batch].slice(-5000));
    }, 200);
    source.addEventListener("log", (e) => {
      const event = JSON.parse((e as MessageEvent).data) as { step: string; line: string };
      if (event.step === step) pending.push(event.line);
    });
    source.addEventListener("end", () => {
      source.close();
      setDone(true);
    });
    return () => {
      clearInterval(flush);
      source.close();
    };
  }, [runId, step]);
  return { lines, done };
}
