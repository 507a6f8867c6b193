// The steps of a pipeline run with their connections. A run record lists its steps but not
// their inputs, so they come from the saved pipeline when it matches the run, else from the
// lineage of the steps that have run (GET /api/v1/lineage: which artifact each input read,
// matched to the step output with that digest).
import { useMemo } from "react";
import { getLineage } from "../../api/models";
import { getPipeline, type PipelineRun } from "../../api/pipelines";
import { useApi } from "../../api/useApi";
import { parseSpec, type StepSpec } from "./spec";

const MAX_LINEAGE_STEPS = 100;

export type StepsSource = "saved" | "lineage" | "none";

function savedSteps(run: PipelineRun, text: string | undefined): StepSpec[] | undefined {
  if (!text) return undefined;
  try {
    const spec = parseSpec(text);
    const names = new Set(spec.steps.map((s) => s.name));
    const ran = run.steps ?? [];
    return ran.length === names.size && ran.every((s) => names.has(s.step)) ? spec.steps : undefined;
  } catch {
    return undefined;
  }
}

async function lineageSteps(run: PipelineRun): Promise<StepSpec[]> {
  const steps = run.steps ?? [];
  const producers = steps.flatMap((s) =>
    s.outputs.map((o) => ({ step: s.step, output: o.name, type: o.type, digest: o.digest })),
  );
  const withRuns = steps.filter((s) => s.run_id).slice(0, MAX_LINEAGE_STEPS);
  const lineage = await Promise.all(withRuns.map((s) => getLineage("step_run", s.run_id).catch(() => [])));
  return steps.map((s) => {
    const i = withRuns.indexOf(s);
    const inputs: Record<string, string> = {};
    const inputTypes: Record<string, string> = {};
    for (const e of i >= 0 ? lineage[i] : []) {
      if (e.dst_id !== s.run_id || !e.label.startsWith("input:")) continue;
      // Equal content may come from several steps: take the last one listed before this step.
      const from = producers.filter((p) => p.digest === e.src_id && p.step !== s.step).pop();
      const input = e.label.slice("input:".length);
      inputs[input] = from ? `${from.step}.${from.output}` : `artifact:${e.src_id.slice(0, 12)}`;
      if (from) inputTypes[input] = from.type;
    }
    const commandOutputs = Object.fromEntries(s.outputs.map((o) => [o.name, o.type]));
    return { name: s.step, inputs, inputTypes, params: {}, commandOutputs };
  });
}

/** The run's steps with inputs, and where the connections came from. */
export function useRunSteps(run: PipelineRun | undefined): { steps: StepSpec[]; source: StepsSource } {
  const pipeline = run?.pipeline;
  const saved = useApi(() => (pipeline ? getPipeline(pipeline) : Promise.resolve(undefined)), [pipeline]);
  const fromSaved = useMemo(() => (run ? savedSteps(run, saved.data?.spec) : undefined), [run, saved.data]);
  const ranKey = (run?.steps ?? []).map((s) => `${s.step}:${s.run_id}:${s.outputs.length}`).join("|");
  const needLineage = !!run && !fromSaved && (saved.data !== undefined || saved.error !== undefined);
  const traced = useApi(
    () => (needLineage && run ? lineageSteps(run) : Promise.resolve(undefined)),
    // Traced again only when other steps ran (ranKey), not on every poll of the same run.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [needLineage, ranKey],
  );
  return useMemo(() => {
    if (fromSaved) return { steps: fromSaved, source: "saved" };
    if (traced.data) return { steps: traced.data, source: "lineage" };
    const steps = (run?.steps ?? []).map((s) => ({
      name: s.step,
      inputs: {},
      params: {},
      commandOutputs: Object.fromEntries(s.outputs.map((o) => [o.name, o.type])),
    }));
    return { steps, source: "none" };
  }, [fromSaved, traced.data, run?.steps]);
}
