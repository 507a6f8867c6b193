// Turns a pipeline's steps (plus the manifests of the modules they use) into React Flow
// nodes and edges.
import { MarkerType, type Edge } from "@xyflow/react";
import { manifestOf, type Manifests } from "./manifests";
import { parseBinding, stepEdges, type StepSpec } from "./spec";
import { nodeHeight, type PortView, type StepNodeData, type StepNodeType } from "./StepNode";
import { layeredLayout, type Frame } from "./layout";

function outputsUsed(step: string, steps: StepSpec[]): string[] {
  const outs = stepEdges(steps)
    .filter((e) => e.from === step)
    .map((e) => e.output);
  return [...new Set(outs)];
}

/** The node data of one step: ports from its manifest when known, else from the spec. */
export function stepNodeData(step: StepSpec, steps: StepSpec[], manifests: Manifests): StepNodeData {
  const manifest = manifestOf(manifests, step.uses);
  const external = (name: string) => {
    const b = parseBinding(step.inputs[name]);
    return b.kind === "file" || b.kind === "dataset" ? step.inputs[name] : undefined;
  };
  const inputs: PortView[] = manifest
    ? manifest.inputs.map((p) => ({ name: p.name, type: p.type, optional: p.optional, external: external(p.name) }))
    : Object.keys(step.inputs).map((name) => ({ name, type: step.inputTypes?.[name] ?? "", external: external(name) }));
  const outputs: PortView[] = manifest
    ? manifest.outputs.map((p) => ({ name: p.name, type: p.type }))
    : step.commandOutputs
      ? Object.entries(step.commandOutputs).map(([name, type]) => ({ name, type }))
      : outputsUsed(step.name, steps).map((name) => ({ name, type: "" }));
  return { name: step.name, uses: step.uses ?? (step.command ? "inline command" : ""), inputs, outputs };
}

/** Edges that run back to the left (into the next band) are routed around the nodes. */
export function routeEdges<E extends Edge>(edges: E[], nodes: { id: string; position: { x: number } }[]): E[] {
  const x = new Map(nodes.map((n) => [n.id, n.position.x]));
  return edges.map((e) => ((x.get(e.target) ?? 0) <= (x.get(e.source) ?? 0) ? { ...e, type: "smoothstep" } : e));
}

export function buildEdges(steps: StepSpec[], idOf: (step: string) => string = (s) => s): Edge[] {
  return stepEdges(steps).map((e) => ({
    id: `${idOf(e.from)}.${e.output}->${idOf(e.to)}.${e.input}`,
    source: idOf(e.from),
    sourceHandle: e.output,
    target: idOf(e.to),
    targetHandle: e.input,
    markerEnd: { type: MarkerType.ArrowClosed },
  }));
}

/**
 * Nodes laid out left to right (in bands, when `frame` is the canvas and the DAG is too long
 * for it); `idOf` maps a step name to its node id.
 */
export function buildNodes(
  steps: StepSpec[],
  manifests: Manifests,
  idOf: (step: string) => string = (s) => s,
  frame?: Frame,
): StepNodeType[] {
  const datas = steps.map((s) => stepNodeData(s, steps, manifests));
  const heights = Object.fromEntries(datas.map((d) => [idOf(d.name), nodeHeight(d)]));
  const layoutEdges = stepEdges(steps).map((e) => ({ from: idOf(e.from), to: idOf(e.to) }));
  const positions = layeredLayout(
    steps.map((s) => idOf(s.name)),
    layoutEdges,
    heights,
    frame,
  );
  return datas.map((data) => ({ id: idOf(data.name), type: "step", position: positions[idOf(data.name)], data }));
}
