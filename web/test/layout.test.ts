// The pipeline canvases' layout (src/pages/pipelines/layout.ts): layers left to right by the
// longest path, and a long DAG wrapped into bands when the canvas is too narrow to read it.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BAND_GAP,
  COLUMN_WIDTH,
  fitZoom,
  layeredLayout,
  NODE_WIDTH,
  READABLE_ZOOM,
} from "../src/pages/pipelines/layout";

const chain = (n: number) => {
  const ids = Array.from({ length: n }, (_, i) => `s${i}`);
  const edges = ids.slice(1).map((to, i) => ({ from: ids[i], to }));
  return { ids, edges, heights: Object.fromEntries(ids.map((id) => [id, 100])) };
};

/** The size of the laid-out DAG (nodes NODE_WIDTH wide, as tall as given). */
function extent(positions: Record<string, { x: number; y: number }>, heights: Record<string, number>) {
  const ids = Object.keys(positions);
  const width = Math.max(...ids.map((id) => positions[id].x)) + NODE_WIDTH;
  const height = Math.max(...ids.map((id) => positions[id].y + heights[id]));
  return { width, height };
}

test("a diamond: columns by the longest path, a column's steps stacked in their parents' order", () => {
  const edges = [
    { from: "a", to: "b" },
    { from: "a", to: "c" },
    { from: "b", to: "d" },
    { from: "c", to: "d" },
    { from: "a", to: "d" },
  ];
  const p = layeredLayout(["d", "c", "b", "a"], edges, { a: 80, b: 60, c: 60, d: 80 });
  assert.deepEqual(p.a, { x: 0, y: 0 });
  assert.equal(p.b.x, COLUMN_WIDTH);
  assert.equal(p.c.x, COLUMN_WIDTH);
  assert.notEqual(p.b.y, p.c.y);
  assert.deepEqual(p.d, { x: 2 * COLUMN_WIDTH, y: 0 });
});

test("a cycle (refused by the server) is still drawn", () => {
  const p = layeredLayout(
    ["a", "b"],
    [
      { from: "a", to: "b" },
      { from: "b", to: "a" },
    ],
    {},
  );
  assert.deepEqual(Object.keys(p).sort(), ["a", "b"]);
});

test("without a frame, or when it is wide enough, a chain stays in one row", () => {
  const { ids, edges, heights } = chain(7);
  const one = layeredLayout(ids, edges, heights);
  assert.ok(ids.every((id) => one[id].y === 0));
  assert.equal(one.s6.x, 6 * COLUMN_WIDTH);
  const wide = layeredLayout(ids, edges, heights, { width: 2600, height: 400 });
  assert.deepEqual(wide, one);
});

test("in a narrow canvas a long chain wraps into bands that read well and fit", () => {
  const { ids, edges, heights } = chain(7);
  const frame = { width: 724, height: 576 }; // the editor's canvas on a 1280x800 laptop
  const p = layeredLayout(ids, edges, heights, frame);
  const rows = [...new Set(ids.map((id) => p[id].y))];
  assert.ok(rows.length > 1, "wrapped");
  assert.equal(p.s0.x, 0);
  const perBand = ids.filter((id) => p[id].y === 0).length;
  assert.equal(p[`s${perBand}`].x, 0, "the next band starts at the left");
  assert.equal(p[`s${perBand}`].y, 100 + BAND_GAP);
  const zoom = fitZoom(extent(p, heights), frame);
  assert.ok(zoom >= READABLE_ZOOM - 1e-9, `zoom ${zoom}`);
  const single = fitZoom(extent(layeredLayout(ids, edges, heights), heights), frame);
  assert.ok(single < 0.35, `one row would fit at ${single} only`);
});

test("fewer bands are kept while they read well", () => {
  const { ids, edges, heights } = chain(7);
  // Wide enough for 4 columns at a readable zoom: two bands, not more.
  const p = layeredLayout(ids, edges, heights, { width: 1600, height: 600 });
  assert.deepEqual([...new Set(ids.map((id) => p[id].y))].length, 2);
});

test("when no banding reads well, the one that fits largest is taken", () => {
  const { ids, edges, heights } = chain(30);
  const frame = { width: 300, height: 200 };
  const p = layeredLayout(ids, edges, heights, frame);
  const zoom = fitZoom(extent(p, heights), frame);
  for (const perBand of [1, 2, 3, 5, 10, 15, 30]) {
    const bands = Math.ceil(30 / perBand);
    const other = { width: (perBand - 1) * COLUMN_WIDTH + NODE_WIDTH, height: bands * 100 + (bands - 1) * BAND_GAP };
    assert.ok(fitZoom(other, frame) <= zoom + 1e-9, `${perBand} per band fits larger`);
  }
});
