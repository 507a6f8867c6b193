// The read-only DAG of a pipeline (its page and its runs' live view): steps laid out left to
// right, coloured by `statuses` when given; clicking a step calls `onSelect`.
import { useEffect, useMemo } from "react";
import { Background, Controls, ReactFlow, ReactFlowProvider, useNodesState, useReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import "./pipelines.css";
import type { StepSpec } from "./spec";
import { buildEdges, buildNodes, type Manifests } from "./graph";
import { nodeTypes as nodeTypesStable } from "./StepNode";

interface Props {
  steps: StepSpec[];
  manifests: Manifests;
  statuses?: Record<string, string>;
  selected?: string;
  onSelect?: (step: string) => void;
  height?: number;
}

// Readable node text wins over seeing everything at once: long pipelines pan sideways.
const FIT = { padding: 0.1, minZoom: 0.55, maxZoom: 1 };

export function DagCanvas(props: Props) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({ steps, manifests, statuses, selected, onSelect, height = 420 }: Props) {
  const laidOut = useMemo(() => buildNodes(steps, manifests), [steps, manifests]);
  const edges = useMemo(() => buildEdges(steps), [steps]);
  const [nodes, setNodes, onNodesChange] = useNodesState(laidOut);
  const { fitView } = useReactFlow();
  useEffect(() => {
    setNodes(laidOut);
    const timer = setTimeout(() => fitView(FIT), 50);
    return () => clearTimeout(timer);
  }, [laidOut, setNodes, fitView]);
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
        nodeTypes={nodeTypesStable}
        onNodesChange={onNodesChange}
        onNodeClick={(_, node) => onSelect?.(node.id)}
        nodesConnectable={false}
        nodesDraggable
        fitView
        fitViewOptions={FIT}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
