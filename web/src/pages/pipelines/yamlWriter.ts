// Writes the editor's state as the pipeline YAML the CLI runs. An existing file is changed
// through the yaml Document API, touching only what the user changed, so comments, key
// order and untouched values survive; saving without changes gives the same text back.
import { Document, isMap, isScalar, parseDocument, Scalar, type YAMLMap } from "yaml";
import type { EditorState, EditorStep } from "./editorModel";
import type { PipelineSpec, StepSpec } from "./spec";

const FORMAT = { lineWidth: 0, flowCollectionPadding: false } as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface Original {
  text: string;
  spec: PipelineSpec;
}

/** The YAML text of `state`; `original` is the loaded file (absent for a new pipeline). */
export function writeYaml(state: EditorState, original?: Original): string {
  const doc = original ? parseDocument(original.text) : new Document({ name: state.name, steps: {} });
  const writer = new Writer(doc);
  if (original) writer.update(state, original.spec);
  else writer.create(state);
  if (original && !writer.changed) return original.text;
  return doc.toString(FORMAT);
}

/** True when an edit would also reformat untouched parts of `text` (the yaml library cannot
 * reproduce its layout); the editor warns before such a save. */
export function reformatsOnEdit(text: string): boolean {
  try {
    return parseDocument(text).toString(FORMAT) !== text;
  } catch {
    return true;
  }
}

/** `file:` and `dataset:` bindings are double-quoted, as in the examples, for every YAML reader. */
function binding(text: string): Scalar {
  const scalar = new Scalar(text);
  if (text.includes(":")) scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

class Writer {
  changed = false;
  constructor(private doc: Document) {}

  create(state: EditorState) {
    this.changed = true;
    if (Object.keys(state.params).length) this.doc.set("params", this.flowEach(state.params));
    for (const step of state.steps) this.doc.setIn(["steps", step.name], this.stepNode(step));
  }

  update(state: EditorState, spec: PipelineSpec) {
    if (state.name !== spec.name) this.set(["name"], state.name);
    this.updateMap(["params"], spec.params, state.params, (v) => this.doc.createNode(v, { flow: true }));
    const kept = new Set(state.steps.map((s) => s.id));
    for (const old of spec.steps) if (!kept.has(old.name)) this.remove(["steps", old.name]);
    for (const step of state.steps) {
      const before = spec.steps.find((s) => s.name === step.id);
      if (before) this.updateStep(step, before);
      else this.set(["steps", step.name], this.stepNode(step));
    }
  }

  private updateStep(step: EditorStep, before: StepSpec) {
    if (step.name !== before.name) this.renameKey(["steps"], before.name, step.name);
    const path = ["steps", step.name];
    if (step.uses !== before.uses && step.uses) this.set([...path, "uses"], step.uses);
    this.updateMap([...path, "inputs"], before.inputs, step.inputs, binding);
    this.updateMap([...path, "params"], before.params, step.params, (v) => this.value(v));
  }

  /** Sets, changes and deletes the entries of the map at `path` that differ. */
  private updateMap<T>(path: string[], before: Record<string, T>, after: Record<string, T>, node: (v: T) => unknown) {
    for (const key of Object.keys(before)) if (!(key in after)) this.remove([...path, key]);
    const existing = this.doc.getIn(path);
    if (!isMap(existing) && Object.keys(after).length) {
      const entries = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, node(v)]));
      this.set(path, this.doc.createNode(entries, { flow: path[path.length - 1] === "inputs" }));
      return;
    }
    for (const [key, value] of Object.entries(after)) {
      if (!same(before[key], value)) this.set([...path, key], node(value));
    }
    const map = this.doc.getIn(path);
    if (isMap(map) && map.items.length === 0) this.remove(path);
  }

  private renameKey(path: string[], from: string, to: string) {
    const map = this.doc.getIn(path) as YAMLMap;
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === from);
    if (pair && isScalar(pair.key)) {
      pair.key.value = to;
      this.changed = true;
    }
  }

  private set(path: string[], value: unknown) {
    this.doc.setIn(path, value);
    this.changed = true;
  }

  private remove(path: string[]) {
    if (this.doc.hasIn(path)) this.doc.deleteIn(path);
    this.changed = true;
  }

  /** Lists are written in flow style: `[a, b]`. */
  private value(v: unknown) {
    return Array.isArray(v) ? this.doc.createNode(v, { flow: true }) : v;
  }

  private flowEach(map: Record<string, unknown>) {
    const node = this.doc.createNode({}) as YAMLMap;
    for (const [k, v] of Object.entries(map)) node.set(k, this.doc.createNode(v, { flow: true }));
    return node;
  }

  private stepNode(step: EditorStep) {
    const node = this.doc.createNode({}) as YAMLMap;
    if (step.uses) node.set("uses", step.uses);
    if (Object.keys(step.inputs).length) {
      const inputs = this.doc.createNode({}, { flow: true }) as YAMLMap;
      for (const [k, v] of Object.entries(step.inputs)) inputs.set(k, binding(v));
      node.set("inputs", inputs);
    }
    if (Object.keys(step.params).length) {
      const params = this.doc.createNode({}) as YAMLMap;
      for (const [k, v] of Object.entries(step.params)) params.set(k, this.value(v));
      node.set("params", params);
    }
    return node;
  }
}
