// The editor's YAML writer (src/pages/pipelines/yamlWriter.ts): a loaded pipeline saved
// without changes is the same text byte for byte; an edit touches only what it changes, so
// comments, key order and the other values survive; a new pipeline reads back as written.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as model from "../src/pages/pipelines/editorModel";
import { parseSpec } from "../src/pages/pipelines/spec";
import { reformatsOnEdit, writeYaml } from "../src/pages/pipelines/yamlWriter";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const examples = readdirSync(path.join(repo, "examples"), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => path.join(repo, "examples", d.name, "pipeline.yaml"));

const load = (text: string) => {
  const spec = parseSpec(text);
  return { original: { text, spec }, state: model.fromSpec(spec) };
};

/** The lines of `after` that are not in `before` (and the other way round), in order. */
function changedLines(before: string, after: string) {
  const a = before.split("\n");
  const b = after.split("\n");
  return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) };
}

const HAND_WRITTEN = `# A pipeline written by hand: comments, odd key order, quoting and flow maps.
name: hand # trailing comment
description: "kept as it is"
steps:
  # the source
  read:
    inputs: {source: "file:data/rows.csv"}
    uses: read-csv@1.0.0
  shout:
    command: [sh, -c, 'echo "\${params.word}" > \${outputs.out}']
    outputs: {out: file}
  split:
    uses: split@1.0.0
    inputs: {table: read.table}
    params:
      test_fraction: 0.25 # a quarter
      seed: 7
params:
  word: {type: string, default: 'hi there'}
`;

test("every example pipeline saved unchanged is the same text, byte for byte", () => {
  assert.ok(examples.length >= 3, `examples found: ${examples.join(", ")}`);
  for (const file of examples) {
    const text = readFileSync(file, "utf8");
    const { original, state } = load(text);
    assert.equal(writeYaml(state, original), text, file);
    assert.equal(reformatsOnEdit(text), false, `${file}: an edit would reformat it`);
  }
});

test("a hand-written file with comments and inline steps saved unchanged is the same text", () => {
  const { original, state } = load(HAND_WRITTEN);
  assert.equal(writeYaml(state, original), HAND_WRITTEN);
  assert.equal(reformatsOnEdit(HAND_WRITTEN), false, "its layout is what the writer writes");
});

test("changing one param changes one line and keeps every comment", () => {
  const text = readFileSync(path.join(repo, "examples/iris/pipeline.yaml"), "utf8");
  const { original, state } = load(text);
  const edited = model.setParam(state, "split", "test_fraction", 0.2);
  const out = writeYaml(edited, original);
  const diff = changedLines(text, out);
  assert.equal(diff.removed.length, 1, diff.removed.join("\n"));
  assert.match(diff.removed[0], /test_fraction: 0\.3/);
  assert.match(diff.added[0], /test_fraction: 0\.2/);
  for (const comment of text.split("\n").filter((l) => l.trim().startsWith("#"))) assert.ok(out.includes(comment));
  assert.equal(parseSpec(out).steps.find((s) => s.name === "split")?.params.test_fraction, 0.2);
});

test("an edit that is undone gives the original text back", () => {
  const { original, state } = load(HAND_WRITTEN);
  const there = model.setParam(state, "split", "seed", 8);
  const back = model.setParam(there, "split", "seed", 7);
  assert.equal(writeYaml(back, original), HAND_WRITTEN);
});

test("renaming a step renames its key and the inputs bound to it, in place", () => {
  const { original, state } = load(HAND_WRITTEN);
  const out = writeYaml(model.renameStep(state, "read", "load"), original);
  const diff = changedLines(HAND_WRITTEN, out);
  assert.deepEqual(diff.removed, ["  read:", "    inputs: {table: read.table}"]);
  assert.deepEqual(diff.added, ["  load:", "    inputs: {table: load.table}"]);
  assert.ok(out.indexOf("load:") < out.indexOf("shout:"), "the step keeps its place");
});

test("removing a step removes it and the bindings to it; other steps are untouched", () => {
  const { original, state } = load(HAND_WRITTEN);
  const out = writeYaml(model.removeSteps(state, ["read"]), original);
  const spec = parseSpec(out);
  assert.deepEqual(
    spec.steps.map((s) => s.name),
    ["shout", "split"],
  );
  assert.deepEqual(spec.steps.find((s) => s.name === "split")?.inputs, {});
  assert.ok(out.includes("test_fraction: 0.25 # a quarter"));
  assert.ok(
    out.includes(`command: [sh, -c, 'echo "\${params.word}" > \${outputs.out}']`),
    "inline step kept as written",
  );
});

test("a new pipeline is written so that it reads back as the editor's state", () => {
  let state = model.emptyState();
  state = { ...state, name: "fresh", params: { depth: { type: "int", default: 3, min: 1 } } };
  const manifest = { name: "read-csv", version: "1.0.0" } as Parameters<typeof model.addStep>[1];
  state = model.addStep(state, manifest, "a");
  state = model.setInput(state, "a", "source", "dataset:iris@latest");
  state = model.addStep(state, { ...manifest, name: "split" }, "b");
  state = model.setInput(state, "b", "table", "read_csv.table");
  state = model.setParam(state, "b", "seed", "${params.depth}");
  state = model.setParam(state, "b", "columns", ["a", "b"]);
  const text = writeYaml(state);
  assert.equal(
    text,
    [
      "name: fresh",
      "steps:",
      "  read_csv:",
      "    uses: read-csv@1.0.0",
      '    inputs: {source: "dataset:iris@latest"}',
      "  split:",
      "    uses: split@1.0.0",
      "    inputs: {table: read_csv.table}",
      "    params:",
      "      seed: ${params.depth}",
      "      columns: [a, b]",
      "params:",
      "  depth: {type: int, default: 3, min: 1}",
      "",
    ].join("\n"),
  );
  const back = parseSpec(text);
  assert.deepEqual(back.params, state.params);
  assert.deepEqual(
    back.steps.map((s) => [s.name, s.uses, s.inputs, s.params]),
    state.steps.map((s) => [s.name, s.uses, s.inputs, s.params]),
  );
});

test("reformatsOnEdit tells when an edit would also change untouched layout", () => {
  assert.equal(reformatsOnEdit("name: a\nsteps: {}\n"), false);
  assert.equal(reformatsOnEdit("name:    a\nsteps: {}\n"), true);
  assert.equal(reformatsOnEdit("name: a   # two spaces too many\nsteps: {}\n"), true);
  assert.equal(reformatsOnEdit("name: [unclosed\n"), true);
});
