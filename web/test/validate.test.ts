// The editor's checks before saving (src/pages/pipelines/validate.ts): each problem names its
// step and field, and a valid pipeline has none.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ModuleManifest, ModuleParam, ModulePort } from "../src/api/modules";
import type { EditorState, EditorStep } from "../src/pages/pipelines/editorModel";
import type { Manifests } from "../src/pages/pipelines/manifests";
import { validateState } from "../src/pages/pipelines/validate";

const param = (p: Partial<ModuleParam> & { name: string; type: string }): ModuleParam => ({
  required: false,
  help: "",
  ...p,
});
const port = (name: string, type: string, optional = false): ModulePort => ({ name, type, description: "", optional });

function manifest(name: string, params: ModuleParam[], inputs: ModulePort[], outputs: ModulePort[]): ModuleManifest {
  return {
    name,
    version: "1.0.0",
    description: "",
    params,
    inputs,
    outputs,
    runner: { kind: "builtin", env: {} },
    files: [],
    files_digest: "",
    created_ms: 0,
    versions: ["1.0.0"],
    manifest_yaml: "",
  };
}

const MANIFESTS: Manifests = {
  "read-csv@1.0.0": manifest("read-csv", [], [port("source", "file")], [port("table", "table")]),
  "split@1.0.0": manifest(
    "split",
    [
      param({ name: "test_fraction", type: "float", default: 0.2, min: 0, max: 1 }),
      param({ name: "seed", type: "int", default: 42 }),
      param({ name: "stratify", type: "string", required: true }),
      param({ name: "mode", type: "enum", values: ["random", "ordered"], default: "random" }),
      param({ name: "columns", type: "list", items: "int", default: [] }),
    ],
    [port("table", "table"), port("weights", "table", true)],
    [port("train", "table"), port("test", "table")],
  ),
  "broken@1.0.0": new Error("no module broken version 1.0.0"),
};

const step = (id: string, uses: string | undefined, inputs = {}, params = {}): EditorStep => ({
  id,
  name: id,
  uses,
  inputs,
  params,
});

function valid(): EditorState {
  return {
    name: "good",
    params: { depth: { type: "int", default: 3, min: 1, max: 12 } },
    steps: [
      step("read", "read-csv@1.0.0", { source: "dataset:iris@latest" }),
      step("split", "split@1.0.0", { table: "read.table" }, { stratify: "species", seed: "${params.depth}" }),
    ],
  };
}

const messages = (state: EditorState) => validateState(state, MANIFESTS).map((p) => p.message);

function withSplit(change: (s: EditorStep) => EditorStep): EditorState {
  const state = valid();
  return { ...state, steps: state.steps.map((s) => (s.id === "split" ? change(s) : s)) };
}

test("a complete pipeline has no problems", () => {
  assert.deepEqual(validateState(valid(), MANIFESTS), []);
});

test("the pipeline needs a valid name and a step", () => {
  assert.deepEqual(messages({ name: "", params: {}, steps: [] }), [
    "the pipeline needs a name",
    "add at least one step",
  ]);
  const bad = validateState({ ...valid(), name: "-bad name" }, MANIFESTS);
  assert.deepEqual(bad, [{ field: "name", message: "'-bad name' is not a valid name (letters, digits, _ . -)" }]);
});

test("pipeline params: names, types and defaults in range", () => {
  const state = {
    ...valid(),
    params: {
      "9lives": { type: "int" },
      kind: { type: "decimal" },
      depth: { type: "int", default: 40, max: 12 },
      rate: { type: "float", default: "fast" },
      tags: { type: "list", default: ["x"] },
    },
  };
  const problems = validateState(state, MANIFESTS).filter((p) => p.field.startsWith("pipeline-params."));
  assert.deepEqual(problems, [
    { field: "pipeline-params.9lives", message: "'9lives' is not a valid param name" },
    { field: "pipeline-params.kind", message: "unknown type 'decimal'" },
    { field: "pipeline-params.depth", message: "default: 40 is above the maximum 12" },
    { field: "pipeline-params.rate", message: "default: expected a number, found 'fast'" },
  ]);
});

test("step names: valid identifiers, no duplicates; problems carry the step's id", () => {
  const state = valid();
  state.steps.push({ ...step("x", "read-csv@1.0.0", { source: "file:a.csv" }), name: "read" });
  state.steps.push({ ...step("y", undefined), name: "has-dash", command: ["true"] });
  const problems = validateState(state, MANIFESTS);
  assert.deepEqual(
    problems.map((p) => [p.stepId, p.field, p.message]),
    [
      ["read", "name", "duplicate step name 'read'"],
      ["x", "name", "duplicate step name 'read'"],
      ["y", "name", "'has-dash' is not a valid step name (letters, digits, _)"],
    ],
  );
});

test("module params: required, typed, ranged, enum, list items, known, references declared", () => {
  const state = withSplit((s) => ({
    ...s,
    params: { test_fraction: 1.5, seed: "${params.nope}", mode: "shuffled", columns: [1, "two"], extra: 1 },
  }));
  assert.deepEqual(
    validateState(state, MANIFESTS).map((p) => [p.stepId, p.field, p.message]),
    [
      ["split", "params.test_fraction", "test_fraction: 1.5 is above the maximum 1"],
      ["split", "params.seed", "seed: pipeline param 'nope' is not declared"],
      ["split", "params.stratify", "stratify is required"],
      ["split", "params.mode", "mode: expected one of random, ordered, found 'shuffled'"],
      ["split", "params.columns", "columns: item 2: expected an integer, found 'two'"],
      ["split", "params.extra", "split has no param 'extra'"],
    ],
  );
  const empty = withSplit((s) => ({ ...s, params: { stratify: "" } }));
  assert.deepEqual(messages(empty), ["stratify is required"]);
});

test("inputs: connected or bound, files with a path, datasets with a name and version", () => {
  const cases: [Record<string, string>, string | undefined][] = [
    [{}, "input 'table' is not connected or bound"],
    [{ table: "file:" }, "input 'table': give a file path"],
    [{ table: "dataset:" }, "input 'table': pick a dataset"],
    [{ table: "dataset:iris@v2" }, "input 'table': version must be a number or latest"],
    [{ table: "dataset:iris@3" }, undefined],
    [{ table: "gone.table" }, "input 'table' is bound to a missing step 'gone'"],
    [{ table: "data/rows.csv" }, undefined],
  ];
  for (const [inputs, expected] of cases) {
    const state = withSplit((s) => ({ ...s, inputs }));
    const problems = validateState(state, MANIFESTS).filter((p) => p.field === "inputs.table");
    assert.deepEqual(
      problems.map((p) => p.message),
      expected ? [expected] : [],
      JSON.stringify(inputs),
    );
  }
  // The optional input may stay unbound.
  assert.equal(validateState(valid(), MANIFESTS).filter((p) => p.field === "inputs.weights").length, 0);
});

test("a module whose manifest failed to load says why; one still loading is not judged", () => {
  const state = valid();
  state.steps.push(step("b", "broken@1.0.0"), step("c", "loading@1.0.0"));
  assert.deepEqual(
    validateState(state, MANIFESTS).map((p) => [p.stepId, p.field, p.message]),
    [["b", "uses", "broken@1.0.0: no module broken version 1.0.0"]],
  );
});

test("inline command steps are kept as written: only their name is checked", () => {
  const state = valid();
  state.steps.push({ ...step("shout", undefined), command: ["sh", "-c", "echo"], params: { anything: "${params.x}" } });
  assert.deepEqual(validateState(state, MANIFESTS), []);
});
