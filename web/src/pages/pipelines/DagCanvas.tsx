// The read-only DAG of a pipeline (its page and its runs' live view): steps laid out left to
// right (in bands when the canvas is too narrow for them), the whole DAG in view, coloured by
// `statuses` when given; clicking a step calls `onSelect`.
import { useEffect, useMemo } from "react";
import { ReactFlow, ReactFlowProvider, useNodesState, useReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import "./pipelines.css";
import type { StepSpec } from "./spec";
import { buildEdges, buildNodes, routeEdges } from "./graph";
import type { Manifests } from "./manifests";
import { FIT_VIEW, FLOW_SETTINGS, FlowChrome, fitWhenLaidOut, useCanvasFrame } from "./flowFrame";

interface Props {
  steps: StepSpec[];
  manifests: Manifests;
  statuses?: Record<string, string>;
  selected?: string;
  onSelect?: (step: string) => void;
  height?: number;
}

export function DagCanvas(props: Props) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({ steps, manifests, statuses, selected, onSelect, height = 420 }: Props) {
  const frame = useCanvasFrame();
  const laidOut = useMemo(() => buildNodes(steps, manifests, undefined, frame), [steps, manifests, frame]);
  const edges = useMemo(() => routeEdges(buildEdges(steps), laidOut), [steps, laidOut]);
  const [nodes, setNodes, onNodesChange] = useNodesState(laidOut);
  const flow = useReactFlow();
  useEffect(() => {
    // Keep each node's measured size across re-layouts (a manifest or the run record arriving):
    // React Flow hides a node until it is measured, and a busy page re-lays out often.
    setNodes((previous) => {
      const measured = new Map(previous.map((n) => [n.id, n.measured]));
      return laidOut.map((n) => (measured.get(n.id) ? { ...n, measured: measured.get(n.id) } : n));
    });
    return fitWhenLaidOut(flow, laidOut);
  }, [laidOut, setNodes, flow]);
  const shown = useMemo(
    () => nodes.map((n) => ({ ...n, selected: n.id === selected, data: { ...n.data, status: statuses?.[n.id] } })),
    [nodes, statuses, selected],
  );
  const animated = useMemo(
    () => edges.map((e) => ({ ...e, animated: statuses?.[e.target] === "RUNNING" })),
    [edges, statuses],
  );
  return (
    <div className="dag-canvas" style={{ height }} data-testid="dag-canvas">
      <ReactFlow
        nodes={shown}
        edges={animated}
        {...FLOW_SETTINGS}
        onNodesChange={onNodesChange}
        onNodeClick={(_, node) => onSelect?.(node.id)}
        nodesConnectable={false}
        nodesDraggable
        fitView
        fitViewOptions={FIT_VIEW}
      >
        <FlowChrome />
      </ReactFlow>
    </div>
  );
}
