// Checks the editor's state before saving: names, required params and inputs, typed and
// ranged values, bindings. Each problem names the step and field, for inline messages.
import type { ModuleManifest } from "../../api/modules";
import type { EditorState, EditorStep } from "./editorModel";
import { manifestOf, type Manifests } from "./manifests";
import { checkScalarText, checkValue, IDENTIFIER } from "./paramCheck";
import { parseBinding } from "./spec";

export interface Problem {
  stepId?: string; // absent for pipeline-level problems
  field: string; // "name", "params.x", "inputs.y", "pipeline-params.z"
  message: string;
}

export const PIPELINE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const PARAM_TYPES = ["int", "float", "bool", "string", "enum", "list"];

export function validateState(state: EditorState, manifests: Manifests): Problem[] {
  const problems: Problem[] = [];
  if (!state.name) problems.push({ field: "name", message: "the pipeline needs a name" });
  else if (!PIPELINE_NAME.test(state.name))
    problems.push({ field: "name", message: `'${state.name}' is not a valid name (letters, digits, _ . -)` });
  if (state.steps.length === 0) problems.push({ field: "steps", message: "add at least one step" });
  problems.push(...checkPipelineParams(state));
  for (const step of state.steps) problems.push(...checkStep(step, state, manifests));
  return problems;
}

function checkPipelineParams(state: EditorState): Problem[] {
  const out: Problem[] = [];
  for (const [name, decl] of Object.entries(state.params)) {
    const field = `pipeline-params.${name}`;
    if (!IDENTIFIER.test(name)) out.push({ field, message: `'${name}' is not a valid param name` });
    if (!PARAM_TYPES.includes(decl.type)) out.push({ field, message: `unknown type '${decl.type}'` });
    else if (decl.default !== undefined && decl.type !== "list" && decl.type !== "string") {
      const problem = checkScalarText(decl.type, String(decl.default), decl);
      if (problem) out.push({ field, message: `default: ${problem}` });
    }
  }
  return out;
}

function checkStep(step: EditorStep, state: EditorState, manifests: Manifests): Problem[] {
  const out: Problem[] = [];
  const add = (field: string, message: string) => out.push({ stepId: step.id, field, message });
  if (!IDENTIFIER.test(step.name)) add("name", `'${step.name}' is not a valid step name (letters, digits, _)`);
  if (state.steps.some((s) => s.id !== step.id && s.name === step.name))
    add("name", `duplicate step name '${step.name}'`);
  if (!step.uses) return out; // inline command steps are kept as written
  const manifest = manifestOf(manifests, step.uses);
  if (!manifest) {
    const failed = manifests[step.uses];
    if (failed instanceof Error) add("uses", `${step.uses}: ${failed.message}`);
    return out;
  }
  checkParams(step, manifest, Object.keys(state.params), add);
  checkInputs(step, manifest, state, add);
  return out;
}

function checkParams(
  step: EditorStep,
  manifest: ModuleManifest,
  pipelineParams: string[],
  add: (f: string, m: string) => void,
) {
  for (const p of manifest.params) {
    const value = step.params[p.name];
    const required = p.required || p.default === undefined;
    if (value === undefined || value === "") {
      if (required) add(`params.${p.name}`, `${p.name} is required`);
      continue;
    }
    const problem = checkValue(value, p, pipelineParams);
    if (problem) add(`params.${p.name}`, `${p.name}: ${problem}`);
  }
  for (const key of Object.keys(step.params)) {
    if (!manifest.params.some((p) => p.name === key)) add(`params.${key}`, `${manifest.name} has no param '${key}'`);
  }
}

function checkInputs(
  step: EditorStep,
  manifest: ModuleManifest,
  state: EditorState,
  add: (f: string, m: string) => void,
) {
  for (const port of manifest.inputs) {
    const b = parseBinding(step.inputs[port.name]);
    const field = `inputs.${port.name}`;
    if (b.kind === "none") {
      if (!port.optional) add(field, `input '${port.name}' is not connected or bound`);
    } else if (b.kind === "file" && !b.path.trim()) add(field, `input '${port.name}': give a file path`);
    else if (b.kind === "dataset" && !b.dataset) add(field, `input '${port.name}': pick a dataset`);
    else if (b.kind === "dataset" && b.version !== "latest" && !/^\d+$/.test(b.version))
      add(field, `input '${port.name}': version must be a number or latest`);
    else if (b.kind === "step" && !state.steps.some((s) => s.name === b.step))
      add(field, `input '${port.name}' is bound to a missing step '${b.step}'`);
  }
}
