// What the compare page builds from the runs it loaded (src/pages/runs/compareData.ts): each
// run's params and metrics (a pipeline run's step metrics keyed STEP/METRIC), the keys, which
// params differ, which runs came from the step cache, and the refusals of too few or too many.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Run } from "../src/api/runs";
import {
  buildComparison,
  CompareRefusal,
  differs,
  MAX_COMPARE,
  resolveRunIds,
  steppedMetrics,
} from "../src/pages/runs/compareData";

interface Fixture {
  id: string;
  name?: string;
  params?: Record<string, string>;
  metrics?: Record<string, number | string | [number, number]>; // value, or [value, step]
  tags?: Record<string, string>;
}

function run({ id, name = "", params = {}, metrics = {}, tags = {} }: Fixture): Run {
  return {
    info: { run_id: id, run_name: name, experiment_id: "1", status: "FINISHED", artifact_uri: "" },
    data: {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(metrics).map(([key, v]) => ({
        key,
        value: Array.isArray(v) ? v[0] : v,
        step: Array.isArray(v) ? v[1] : 0,
        timestamp: 1,
      })),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    },
  };
}

const pipelineRun = (id: string, depth: string) =>
  run({ id, name: `p-${id}`, params: { max_depth: depth, eta: "0.3" }, tags: { "kiln.type": "pipeline" } });
const stepRun = (id: string, parent: string, step: string, metrics: Fixture["metrics"], cached = false) =>
  run({
    id,
    name: step,
    metrics,
    tags: {
      "kiln.type": "step",
      "kiln.step": step,
      "mlflow.parentRunId": parent,
      ...(cached ? { "kiln.cached": "true" } : {}),
    },
  });

test("a pipeline run gets its steps' metrics as STEP/METRIC, with the run that logged them", () => {
  const c = buildComparison(
    ["a", "b"],
    [pipelineRun("a", "2"), pipelineRun("b", "3")],
    [
      stepRun("a1", "a", "evaluate", { accuracy: 0.812, log_loss: 0.4 }),
      stepRun("a2", "a", "train", { "validation-mlogloss": [0.3, 9] }),
      stepRun("b1", "b", "evaluate", { accuracy: 0.848, log_loss: "NaN" }),
    ],
  );
  assert.deepEqual(
    c.runs.map((r) => r.id),
    ["a", "b"],
  );
  assert.deepEqual(c.missing, []);
  assert.deepEqual(c.metricKeys, ["evaluate/accuracy", "evaluate/log_loss", "train/validation-mlogloss"]);
  assert.deepEqual(c.paramKeys, ["eta", "max_depth"]);
  const a = c.runs[0];
  assert.deepEqual(a.metrics.get("evaluate/accuracy"), {
    value: 0.812,
    step: 0,
    ownerRunId: "a1",
    ownerKey: "accuracy",
  });
  assert.ok(Number.isNaN(c.runs[1].metrics.get("evaluate/log_loss")?.value), "NaN arrives as a string");
  assert.equal(a.label, "p-a");
  assert.deepEqual(steppedMetrics(c), ["train/validation-mlogloss"]);
  assert.equal(differs(c.runs, "max_depth"), true);
  assert.equal(differs(c.runs, "eta"), false);
});

test("runs not found are listed as missing; a run without a name is labelled by its id", () => {
  const c = buildComparison(["0123456789ab", "gone"], [run({ id: "0123456789ab", params: { x: "1" } })], []);
  assert.deepEqual(c.missing, ["gone"]);
  assert.equal(c.runs[0].label, "01234567");
  assert.equal(differs(c.runs, "x"), false);
  assert.equal(differs([...c.runs, { ...c.runs[0], params: new Map() }], "x"), true, "missing counts as different");
});

test("a sweep point with steps from the cache is marked cached, with or without metrics", () => {
  const c = buildComparison(
    ["a", "b", "c"],
    [pipelineRun("a", "2"), pipelineRun("b", "3"), pipelineRun("c", "4")],
    [
      stepRun("a1", "a", "evaluate", { accuracy: 0.9 }),
      stepRun("b0", "b", "read", {}, true),
      stepRun("b1", "b", "evaluate", {}, true),
      stepRun("c0", "c", "read", {}, true),
      stepRun("c1", "c", "evaluate", { accuracy: 0.95 }, true),
      stepRun("c2", "c", "register", {}),
    ],
  );
  const [a, b, cached] = c.runs;
  assert.equal(a.cached, false);
  assert.equal(b.cached, true);
  assert.equal(b.metrics.size, 0, "the cache gave this point no metrics");
  assert.equal(cached.cached, true);
  assert.equal(cached.metrics.get("evaluate/accuracy")?.value, 0.95, "metrics the server copied are shown");
  assert.deepEqual(c.metricKeys, ["evaluate/accuracy"]);
});

test("a cached step's metric history is read from the run that computed it", () => {
  const cachedStep = stepRun("b1", "b", "train", { "validation-mlogloss": [0.3, 9] }, true);
  cachedStep.data.tags?.push({ key: "kiln.cached_from", value: "a1" });
  const c = buildComparison(
    ["a", "b"],
    [pipelineRun("a", "2"), pipelineRun("b", "2")],
    [stepRun("a1", "a", "train", { "validation-mlogloss": [0.3, 9] }), cachedStep],
  );
  assert.deepEqual(c.runs[1].metrics.get("train/validation-mlogloss"), {
    value: 0.3,
    step: 9,
    ownerRunId: "a1",
    ownerKey: "validation-mlogloss",
  });
  assert.deepEqual(steppedMetrics(c), ["train/validation-mlogloss"]);
});

test("a step run itself can be compared, cached or not", () => {
  const c = buildComparison(
    ["s1", "s2"],
    [stepRun("s1", "p", "evaluate", { accuracy: 0.5 }), stepRun("s2", "q", "evaluate", {}, true)],
    [],
  );
  assert.deepEqual(
    c.runs.map((r) => [r.cached, r.metrics.size]),
    [
      [false, 1],
      [true, 0],
    ],
  );
});

test("a link names 2 to 50 runs, each once", async () => {
  assert.deepEqual(await resolveRunIds(" a, b ,a,,c ", null), ["a", "b", "c"]);
  await assert.rejects(
    resolveRunIds("a", null),
    (e: Error) => e instanceof CompareRefusal && /at least 2 runs/.test(e.message),
  );
  await assert.rejects(resolveRunIds(null, null), CompareRefusal);
  const many = Array.from({ length: MAX_COMPARE + 1 }, (_, i) => `r${i}`).join(",");
  await assert.rejects(resolveRunIds(many, null), /At most 50 runs can be compared; the link names 51/);
});
