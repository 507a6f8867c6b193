// A model version's lineage, left to right: datasets -> step runs -> artifacts -> model
// version -> deployments (React Flow); a step run later runs re-used from the cache says so
// ("reused by N runs") instead of appearing once per re-run. Clicking a node opens its page.
import { useMemo } from "react";
import { useNavigate } from "react-router-dom";
import { Background, Controls, Handle, Position, ReactFlow, type Edge, type Node, type NodeProps } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useApi } from "../../api/useApi";
import type { ModelVersion } from "../../api/models";
import { ErrorBanner, Loading } from "../../components/Status";
import { buildLineage, type LineageGraphData, type LineageNode } from "./lineage";
import "./models.css";

type FlowNode = Node<{ node: LineageNode }, "lineage">;

const kindNames: Record<string, string> = {
  dataset: "dataset",
  step_run: "step run",
  artifact: "artifact",
  model_version: "model version",
  deployment: "deployment",
  run: "run",
};

function LineageNodeView({ data }: NodeProps<FlowNode>) {
  const n = data.node;
  return (
    <div className={`km-node ${n.kind}`} data-testid="lineage-node" data-kind={n.kind} title={n.id}>
      <Handle type="target" position={Position.Left} />
      <div className="kind">{kindNames[n.kind] ?? n.kind}</div>
      <div className="mono">{n.label}</div>
      {n.note && (
        <div className="note" data-testid="lineage-note">
          {n.note}
        </div>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

const nodeTypes = { lineage: LineageNodeView };

function layout(graph: LineageGraphData): { nodes: FlowNode[]; edges: Edge[] } {
  const maxDepth = Math.max(0, ...graph.nodes.map((n) => n.depth));
  const rows = new Map<number, number>();
  const nodes: FlowNode[] = graph.nodes.map((n) => {
    const row = rows.get(n.depth) ?? 0;
    rows.set(n.depth, row + 1);
    return {
      id: n.key,
      type: "lineage",
      position: { x: (maxDepth - n.depth) * 210, y: row * 70 },
      data: { node: n },
    };
  });
  const edges: Edge[] = graph.edges.map((e, i) => ({
    id: `e${i}`,
    source: e.source,
    target: e.target,
    label: e.label.startsWith("input:") ? e.label.slice(6) : undefined,
  }));
  return { nodes, edges };
}

export function LineageGraph({ version }: { version: ModelVersion }) {
  const navigate = useNavigate();
  // The version object is new on every reload of the model; the graph only when it is another.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const graph = useApi(() => buildLineage(version), [version.name, version.version, version.source]);
  const flow = useMemo(() => (graph.data ? layout(graph.data) : undefined), [graph.data]);
  return (
    <div data-testid="lineage">
      <ErrorBanner error={graph.error} />
      {!flow && graph.loading && <Loading what="lineage" />}
      {flow && (
        <div className="km-lineage">
          <ReactFlow
            nodes={flow.nodes}
            edges={flow.edges}
            nodeTypes={nodeTypes}
            fitView
            nodesConnectable={false}
            onNodeClick={(_, node) => node.data.node.href && navigate(node.data.node.href)}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
      )}
    </div>
  );
}
