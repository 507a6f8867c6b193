// The editor's state: the pipeline being edited, as plain data the forms and canvas change.
// Each step has a stable `id` (its name when loaded) so renaming keeps its YAML entry.
import type { ModuleManifest } from "../../api/modules";
import { parseBinding, type PipelineParamSpec, type PipelineSpec, type StepSpec } from "./spec";

export interface EditorStep extends StepSpec {
  id: string;
}

export interface EditorState {
  name: string;
  params: Record<string, PipelineParamSpec>;
  steps: EditorStep[];
}

export function fromSpec(spec: PipelineSpec): EditorState {
  return {
    name: spec.name,
    params: structuredClone(spec.params),
    steps: spec.steps.map((s) => ({ ...structuredClone(s), id: s.name })),
  };
}

export const emptyState = (): EditorState => ({ name: "", params: {}, steps: [] });

let counter = 0;
export const newStepId = () => `new-${Date.now().toString(36)}-${++counter}`;

/** A fresh step name from the module's name: read-csv -> read_csv, read_csv_2, ... */
export function freshStepName(module: string, taken: string[]): string {
  let base = module
    .split("/")
    .pop()!
    .replace(/[^A-Za-z0-9_]/g, "_");
  if (!/^[A-Za-z_]/.test(base)) base = `s_${base}`;
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}_${i}`;
  return name;
}

export function addStep(state: EditorState, manifest: ModuleManifest, id: string): EditorState {
  const name = freshStepName(
    manifest.name,
    state.steps.map((s) => s.name),
  );
  const step: EditorStep = { id, name, uses: `${manifest.name}@${manifest.version}`, inputs: {}, params: {} };
  return { ...state, steps: [...state.steps, step] };
}

export function updateStep(state: EditorState, id: string, change: (s: EditorStep) => EditorStep): EditorState {
  return { ...state, steps: state.steps.map((s) => (s.id === id ? change(s) : s)) };
}

/** Renames a step and every input bound to its outputs. */
export function renameStep(state: EditorState, id: string, name: string): EditorState {
  const old = state.steps.find((s) => s.id === id)?.name;
  if (old === undefined) return state;
  return {
    ...state,
    steps: state.steps.map((s) => {
      const inputs = Object.fromEntries(
        Object.entries(s.inputs).map(([k, v]) => {
          const b = parseBinding(v);
          return [k, b.kind === "step" && b.step === old ? `${name}.${b.output}` : v];
        }),
      );
      return { ...s, name: s.id === id ? name : s.name, inputs };
    }),
  };
}

/** Removes steps and the bindings that pointed at them. */
export function removeSteps(state: EditorState, ids: string[]): EditorState {
  const names = state.steps.filter((s) => ids.includes(s.id)).map((s) => s.name);
  const unbind = (inputs: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(inputs).filter(([, v]) => {
        const b = parseBinding(v);
        return !(b.kind === "step" && names.includes(b.step));
      }),
    );
  return {
    ...state,
    steps: state.steps.filter((s) => !ids.includes(s.id)).map((s) => ({ ...s, inputs: unbind(s.inputs) })),
  };
}

export function setInput(state: EditorState, id: string, input: string, binding: string | undefined): EditorState {
  return updateStep(state, id, (s) => {
    const inputs = { ...s.inputs };
    if (binding === undefined) delete inputs[input];
    else inputs[input] = binding;
    return { ...s, inputs };
  });
}

export function setParam(state: EditorState, id: string, param: string, value: unknown): EditorState {
  return updateStep(state, id, (s) => {
    const params = { ...s.params };
    if (value === undefined) delete params[param];
    else params[param] = value;
    return { ...s, params };
  });
}
