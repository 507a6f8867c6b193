// What both pipeline canvases (the read-only DAG and the editor) share around React Flow:
// how a fit frames the steps, the flow settings, the canvas's size for the layout, fitting
// once the laid-out nodes are measured, and the dotted background with zoom controls.
import { useMemo } from "react";
import { Background, Controls, useStore, type ReactFlowInstance, type Node } from "@xyflow/react";
import { FIT_PADDING, type Frame } from "./layout";
import { nodeTypes } from "./StepNode";

/** The whole DAG in view, with room around it (the layout wraps long DAGs into bands). */
export const FIT_VIEW = { padding: FIT_PADDING, minZoom: 0.05, maxZoom: 1 };

/** React Flow props every pipeline canvas passes. */
export const FLOW_SETTINGS = { nodeTypes, minZoom: 0.05, proOptions: { hideAttribution: true } };

/** The background and zoom controls drawn inside every pipeline canvas. */
export function FlowChrome() {
  return (
    <>
      <Background gap={16} />
      <Controls showInteractive={false} />
    </>
  );
}

/** The canvas's size once React Flow has measured it (undefined before). */
export function useCanvasFrame(): Frame | undefined {
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  return useMemo(() => (width > 0 && height > 0 ? { width, height } : undefined), [width, height]);
}

/**
 * Fits the view to `expected` (the nodes just laid out) as soon as React Flow holds them at
 * those positions and has measured every one: fitting earlier frames stale or unmeasured
 * nodes. Gives up after about two seconds. Returns a cancel function (for effect cleanups).
 */
export function fitWhenLaidOut(flow: ReactFlowInstance, expected: Pick<Node, "id" | "position">[]): () => void {
  const want = new Map(expected.map((n) => [n.id, n.position]));
  let timer: ReturnType<typeof setTimeout>;
  const attempt = (left: number) => {
    const nodes = flow.getNodes();
    const ready =
      nodes.length > 0 &&
      nodes.every((n) => {
        const p = want.get(n.id);
        return n.measured?.width && n.measured?.height && (!p || (p.x === n.position.x && p.y === n.position.y));
      });
    if (ready) void flow.fitView(FIT_VIEW);
    else if (left > 0) timer = setTimeout(() => attempt(left - 1), 50);
  };
  timer = setTimeout(() => attempt(40), 0);
  return () => clearTimeout(timer);
}
