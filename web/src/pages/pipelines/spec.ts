// The pipeline YAML (docs/pipelines.md) read into a plain model the canvas and editor use:
// steps with their module, params and input bindings, and the pipeline-level params.
import { parse } from "yaml";

export interface PipelineParamSpec {
  type: string;
  default?: unknown;
  min?: number;
  max?: number;
  values?: string[];
  items?: string;
  required?: boolean;
  help?: string;
}

export interface StepSpec {
  name: string;
  uses?: string; // "module@version"; absent for inline command steps
  command?: string[];
  commandOutputs?: Record<string, string>; // an inline step's declared outputs (name -> type)
  inputTypes?: Record<string, string>; // input types when known without a manifest (traced runs)
  inputs: Record<string, string>;
  params: Record<string, unknown>;
}

export interface PipelineSpec {
  name: string;
  description?: string;
  params: Record<string, PipelineParamSpec>;
  steps: StepSpec[];
}

/** One input's binding: another step's output, a file, or a dataset. */
export type Binding =
  | { kind: "step"; step: string; output: string }
  | { kind: "file"; path: string }
  | { kind: "dataset"; dataset: string; version: string }
  | { kind: "none" };

export function parseBinding(text: string | undefined): Binding {
  if (!text) return { kind: "none" };
  if (text.startsWith("dataset:")) {
    const [dataset, version = "latest"] = text.slice("dataset:".length).split("@");
    return { kind: "dataset", dataset, version };
  }
  if (text.startsWith("file:")) return { kind: "file", path: text.slice("file:".length) };
  if (text.includes("/")) return { kind: "file", path: text };
  const dot = text.indexOf(".");
  if (dot > 0) return { kind: "step", step: text.slice(0, dot), output: text.slice(dot + 1) };
  return { kind: "file", path: text };
}

export function splitUses(uses: string): { module: string; version: string } {
  const at = uses.lastIndexOf("@");
  return at < 0 ? { module: uses, version: "latest" } : { module: uses.slice(0, at), version: uses.slice(at + 1) };
}

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function readStep(name: string, raw: unknown): StepSpec {
  const s = asRecord(raw);
  const inputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(s.inputs))) inputs[k] = String(v);
  const outputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(s.outputs))) outputs[k] = String(v);
  return {
    name,
    uses: typeof s.uses === "string" ? s.uses : undefined,
    command: Array.isArray(s.command) ? s.command.map(String) : undefined,
    commandOutputs: s.command ? outputs : undefined,
    inputs,
    params: { ...asRecord(s.params) },
  };
}

/** Parses pipeline YAML text; throws an Error naming the problem when it is not YAML. */
export function parseSpec(text: string): PipelineSpec {
  const root = asRecord(parse(text));
  const steps = Object.entries(asRecord(root.steps)).map(([name, raw]) => readStep(name, raw));
  const params: Record<string, PipelineParamSpec> = {};
  for (const [k, v] of Object.entries(asRecord(root.params))) params[k] = asRecord(v) as unknown as PipelineParamSpec;
  return {
    name: typeof root.name === "string" ? root.name : "",
    description: typeof root.description === "string" ? root.description : undefined,
    params,
    steps,
  };
}

/** Edges between steps: each input bound to STEP.OUTPUT. */
export function stepEdges(steps: StepSpec[]) {
  const names = new Set(steps.map((s) => s.name));
  const edges: { from: string; output: string; to: string; input: string }[] = [];
  for (const step of steps) {
    for (const [input, text] of Object.entries(step.inputs)) {
      const b = parseBinding(text);
      if (b.kind === "step" && names.has(b.step)) edges.push({ from: b.step, output: b.output, to: step.name, input });
    }
  }
  return edges;
}
