// What a pipeline run's Results section lists, from what was loaded: the metrics of the run
// and of each step run (in the run's step order), and the pictures its steps stored.
import { blobUrl, type TreeFile } from "../../api/blobs";
import type { PipelineRun, PipelineStep } from "../../api/pipelines";
import type { Run } from "../../api/runs";
import { previewKind } from "../../components/storedFiles";

/** One metric's latest value, of a step run (or of the pipeline run itself: step "pipeline"). */
export interface ResultMetric {
  step: string;
  runId: string;
  key: string;
  value: number | string; // NaN and infinities arrive as strings
  at: number; // the step (iteration) it was logged at
}

/** A picture one of the steps stored: a `plot` file output, or an image in a folder output. */
export interface ResultPicture {
  key: string;
  step: string;
  name: string; // OUTPUT or OUTPUT/PATH
  path: string; // for the image's type (its extension) and its alt text
  url: string;
}

/** The metrics of `run` and its steps, found among `tracked` (their tracking runs). */
export function resultMetrics(run: PipelineRun, tracked: Run[]): ResultMetric[] {
  const byId = new Map(tracked.map((r) => [r.info.run_id, r]));
  const owners = [
    { step: "pipeline", runId: run.run_id },
    ...(run.steps ?? []).filter((s) => s.run_id).map((s) => ({ step: s.step, runId: s.run_id })),
  ];
  return owners.flatMap(({ step, runId }) =>
    [...(byId.get(runId)?.data.metrics ?? [])]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((m) => ({ step, runId, key: m.key, value: m.value, at: m.step })),
  );
}

/** The pictures of the steps' outputs; `trees` lists the folder outputs' files by digest. */
export function resultPictures(steps: PipelineStep[], trees: Map<string, TreeFile[]>): ResultPicture[] {
  const out: ResultPicture[] = [];
  for (const step of steps) {
    for (const output of step.outputs) {
      const key = `${step.step}/${output.name}`;
      if (!output.folder && output.type === "plot") {
        out.push({ key, step: step.step, name: output.name, path: output.name, url: blobUrl(output.digest) });
        continue;
      }
      if (!output.folder || (output.type !== "dir" && output.type !== "plot")) continue;
      for (const file of trees.get(output.digest) ?? []) {
        if (previewKind(file.path) !== "image") continue;
        const name = `${output.name}/${file.path}`;
        out.push({ key: `${step.step}/${name}`, step: step.step, name, path: file.path, url: blobUrl(file.digest) });
      }
    }
  }
  return out;
}
