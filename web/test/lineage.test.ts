// How a model version's lineage answer becomes the drawn graph (src/pages/models/lineage.ts):
// columns by distance from the version, step runs named by their step with the cached re-uses
// as a note, artifacts named by the output that wrote them.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { VersionLineage } from "../src/api/models";
import { lineageGraph, reuseNote } from "../src/pages/models/lineage";

const edge = (src: string, dst: string, label: string) => {
  const [src_kind, src_id] = src.split(":");
  const [dst_kind, dst_id] = dst.split(":");
  return { src_kind, src_id, dst_kind, dst_id, label };
};

const answer: VersionLineage = {
  model_version: { name: "m", version: "2", source: "kiln-package:pkg0123456789", run_id: "p1" },
  nodes: [
    { kind: "model_version", id: "m/2" },
    { kind: "artifact", id: "pkg0123456789" },
    { kind: "step_run", id: "train111", step: "train", pipeline_run_id: "p1", reused_by: 3 },
    { kind: "step_run", id: "read2222", step: "read", pipeline_run_id: "p1", reused_by: 1 },
    { kind: "artifact", id: "tab0123456789" },
    { kind: "dataset", id: "iris@2" },
  ],
  edges: [
    edge("artifact:pkg0123456789", "model_version:m/2", "source"),
    edge("step_run:train111", "artifact:pkg0123456789", "output:model"),
    edge("artifact:tab0123456789", "step_run:train111", "input:train"),
    edge("step_run:read2222", "artifact:tab0123456789", "output:table"),
    edge("dataset:iris@2", "step_run:read2222", "input:source"),
  ],
};

test("nodes sit in columns by their distance upstream of the version", () => {
  const graph = lineageGraph(answer);
  const depth = Object.fromEntries(graph.nodes.map((n) => [n.key, n.depth]));
  assert.deepEqual(depth, {
    "model_version:m/2": 0,
    "artifact:pkg0123456789": 1,
    "step_run:train111": 2,
    "artifact:tab0123456789": 3,
    "step_run:read2222": 4,
    "dataset:iris@2": 5,
  });
  assert.equal(graph.edges.length, 5);
  assert.deepEqual(graph.edges[0], { source: "artifact:pkg0123456789", target: "model_version:m/2", label: "source" });
});

test("labels, re-use notes and links", () => {
  const byKey = Object.fromEntries(lineageGraph(answer).nodes.map((n) => [n.key, n]));
  assert.equal(byKey["model_version:m/2"].label, "m v2");
  assert.equal(byKey["model_version:m/2"].href, "/models/m");
  assert.equal(byKey["step_run:train111"].label, "train train1");
  assert.equal(byKey["step_run:train111"].note, "reused by 3 runs");
  assert.equal(byKey["step_run:read2222"].note, "reused by 1 run");
  assert.equal(byKey["step_run:read2222"].href, "/runs/read2222");
  assert.equal(byKey["artifact:pkg0123456789"].label, "model pkg01234");
  assert.equal(byKey["artifact:tab0123456789"].label, "table tab01234");
  assert.equal(byKey["dataset:iris@2"].href, "/datasets/iris");
  assert.equal(byKey["dataset:iris@2"].note, undefined);
});

test("no note for a step run nothing re-used", () => {
  assert.equal(reuseNote(0), undefined);
  assert.equal(reuseNote(undefined), undefined);
  assert.equal(reuseNote(2), "reused by 2 runs");
});
