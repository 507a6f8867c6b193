// What a pipeline run's Results section lists (src/pages/pipelines/results.ts) and how a
// stored picture without a file extension is recognised (src/components/storedFiles.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { TreeFile } from "../src/api/blobs";
import type { PipelineRun, PipelineStep } from "../src/api/pipelines";
import type { Run } from "../src/api/runs";
import { sniffImageMime } from "../src/components/storedFiles";
import { resultMetrics, resultPictures } from "../src/pages/pipelines/results";

const step = (name: string, runId: string, outputs: PipelineStep["outputs"] = []): PipelineStep => ({
  step: name,
  status: "SUCCEEDED",
  run_id: runId,
  cached: false,
  cache_key: "",
  attempts: 1,
  error: "",
  started_ms: 0,
  ended_ms: 0,
  outputs,
});

const tracked = (id: string, metrics: [string, number | string, number][]): Run => ({
  info: { run_id: id, run_name: id, experiment_id: "1", status: "FINISHED", artifact_uri: "" },
  data: { metrics: metrics.map(([key, value, s]) => ({ key, value, step: s, timestamp: 1 })) },
});

const run = (steps: PipelineStep[]) => ({ run_id: "p", status: "SUCCEEDED", steps }) as PipelineRun;

test("metrics: the pipeline run's, then each step's in the run's order, keys sorted", () => {
  const r = run([step("train", "t"), step("pending", ""), step("evaluate", "e")]);
  const rows = resultMetrics(r, [
    tracked("e", [
      ["log_loss", "NaN", 0],
      ["accuracy", 0.9, 0],
    ]),
    tracked("t", [["valid_mlogloss", 0.12, 17]]),
    tracked("p", [["total_seconds", 3, 0]]),
  ]);
  assert.deepEqual(
    rows.map((m) => [m.step, m.runId, m.key, m.value, m.at]),
    [
      ["pipeline", "p", "total_seconds", 3, 0],
      ["train", "t", "valid_mlogloss", 0.12, 17],
      ["evaluate", "e", "accuracy", 0.9, 0],
      ["evaluate", "e", "log_loss", "NaN", 0],
    ],
  );
  assert.deepEqual(resultMetrics(r, []), [], "runs not loaded yet: nothing");
});

test("pictures: plot files, and the images of dir and plot folders; nothing else", () => {
  const out = (name: string, type: string, digest: string, folder: boolean) => ({ name, type, digest, folder });
  const steps = [
    step("evaluate", "e", [
      out("plots", "dir", "d1", true),
      out("report", "file", "f1", false),
      out("predictions", "table", "t1", false),
    ]),
    step("draw", "w", [out("chart", "plot", "p1", false), out("model", "model", "m1", true)]),
  ];
  const file = (path: string, digest: string): TreeFile => ({ path, digest, size: 1, executable: false });
  const trees = new Map([
    ["d1", [file("confusion_matrix.svg", "c"), file("notes.txt", "n"), file("sub/roc.png", "r")]],
    ["m1", [file("importance.png", "i")]],
  ]);
  assert.deepEqual(
    resultPictures(steps, trees).map((p) => [p.step, p.name, p.path, p.url]),
    [
      ["evaluate", "plots/confusion_matrix.svg", "confusion_matrix.svg", "/api/v1/blobs/c"],
      ["evaluate", "plots/sub/roc.png", "sub/roc.png", "/api/v1/blobs/r"],
      ["draw", "chart", "chart", "/api/v1/blobs/p1"],
    ],
  );
});

test("a picture's type is told from its first bytes", () => {
  const bytes = (...b: number[]) => new Uint8Array([...b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const text = (s: string) => new TextEncoder().encode(s);
  assert.equal(sniffImageMime(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a)), "image/png");
  assert.equal(sniffImageMime(bytes(0xff, 0xd8, 0xff, 0xe0)), "image/jpeg");
  assert.equal(sniffImageMime(text("GIF89a....")), "image/gif");
  assert.equal(sniffImageMime(text("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ")), "image/webp");
  assert.equal(sniffImageMime(text("<svg xmlns='http://www.w3.org/2000/svg'/>")), "image/svg+xml");
  assert.equal(
    sniffImageMime(text('  <?xml version="1.0"?>\n<!-- made by hand -->\n<svg width="2">')),
    "image/svg+xml",
  );
  assert.equal(sniffImageMime(text("<!DOCTYPE svg PUBLIC '-//W3C//DTD SVG 1.1//EN'>\n<svg>")), "image/svg+xml");
  assert.equal(sniffImageMime(text("<html><svg></svg></html>")), undefined);
  assert.equal(sniffImageMime(text("a,b\n1,2\n")), undefined);
  assert.equal(sniffImageMime(new Uint8Array()), undefined);
});
