// The editor's canvas: steps as nodes with typed handles; modules dropped from the palette
// become steps; dragging an output onto an input binds it (only the same artifact type, one
// connection per input), and a refused connection says why. Positions are laid out on load
// for the canvas's size (a long pipeline wraps into bands) and the view fits the whole DAG;
// moved nodes are remembered in this browser only (never in the YAML).
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  ReactFlow,
  useNodesState,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import type { EditorStep } from "./editorModel";
import { buildEdges, buildNodes, routeEdges, stepNodeData } from "./graph";
import type { Manifests } from "./manifests";
import { MODULE_DRAG_TYPE } from "./Palette";
import type { StepNodeType } from "./StepNode";
import { FLOW_SETTINGS, FlowChrome, fitWhenLaidOut, useCanvasFrame } from "./flowFrame";

interface Props {
  steps: EditorStep[];
  manifests: Manifests;
  problemSteps: Set<string>; // ids of steps with problems
  selected?: string;
  positionsKey: string; // localStorage key for moved nodes
  onSelect: (id: string | undefined) => void;
  onDropModule: (module: string, position: { x: number; y: number }) => void;
  onConnect: (targetId: string, input: string, binding: string) => void;
  onDisconnect: (targetId: string, input: string) => void;
  onRemove: (ids: string[]) => void;
  pendingPosition: React.RefObject<Record<string, { x: number; y: number }>>; // where new steps go
}

const loadPositions = (key: string): Record<string, { x: number; y: number }> => {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "{}");
  } catch {
    return {};
  }
};

function portType(
  steps: EditorStep[],
  manifests: Manifests,
  id: string | null,
  handle: string | null | undefined,
  out: boolean,
) {
  const step = steps.find((s) => s.id === id);
  if (!step) return undefined;
  const data = stepNodeData(step, steps, manifests);
  return (out ? data.outputs : data.inputs).find((p) => p.name === handle)?.type;
}

export function EditorCanvas(props: Props) {
  const { steps, manifests, selected } = props;
  const flow = useReactFlow();
  const [nodes, setNodes, onNodesChange] = useNodesState<StepNodeType>([]);
  const [hint, setHint] = useState<string>();
  const [selectedEdge, setSelectedEdge] = useState<string>();
  const laidOut = useRef(steps.length === 0); // a new pipeline has nothing to lay out
  const cancelFit = useRef<() => void>(undefined);
  useEffect(() => () => cancelFit.current?.(), []);
  const nameToId = useMemo(() => Object.fromEntries(steps.map((s) => [s.name, s.id])), [steps]);
  const frame = useCanvasFrame();

  // Keep nodes in step with the steps; lay everything out once, when the manifests and the
  // canvas's size are known, then fit the view to it.
  useEffect(() => {
    const ready = !!frame && steps.every((s) => !s.uses || manifests[s.uses]);
    const layout = buildNodes(steps, manifests, (n) => nameToId[n] ?? n, frame);
    const stored = loadPositions(props.positionsKey);
    const initial = (n: StepNodeType) =>
      props.pendingPosition.current[n.id] || stored[steps.find((s) => s.id === n.id)!.name] || n.position;
    const wasLaidOut = laidOut.current;
    setNodes((prev) =>
      layout.map((n) => {
        const old = prev.find((p) => p.id === n.id);
        const position = (wasLaidOut && old?.position) || initial(n);
        return { ...(old ?? n), position, data: { ...n.data, problem: props.problemSteps.has(n.id) } };
      }),
    );
    if (ready && !wasLaidOut && steps.length) {
      laidOut.current = true;
      // Not cancelled by the next run of this effect (an edit right after opening): only on unmount.
      cancelFit.current = fitWhenLaidOut(
        flow,
        layout.map((n) => ({ id: n.id, position: initial(n) })),
      );
    }
  }, [
    steps,
    manifests,
    nameToId,
    frame,
    props.problemSteps,
    props.positionsKey,
    props.pendingPosition,
    setNodes,
    flow,
  ]);

  const edges = useMemo(
    () =>
      routeEdges(
        buildEdges(steps, (n) => nameToId[n] ?? n),
        nodes,
      ).map((e) => ({ ...e, selected: e.id === selectedEdge })),
    [steps, nameToId, selectedEdge, nodes],
  );
  const shownNodes = useMemo(() => nodes.map((n) => ({ ...n, selected: n.id === selected })), [nodes, selected]);

  const isValidConnection = useCallback(
    (c: Connection | Edge) => {
      if (c.source === c.target) return false;
      const from = portType(steps, manifests, c.source, c.sourceHandle, true);
      const to = portType(steps, manifests, c.target, c.targetHandle, false);
      return !!from && !!to && from === to;
    },
    [steps, manifests],
  );

  const onConnect = (c: Connection) => {
    const source = steps.find((s) => s.id === c.source);
    if (!source || !c.targetHandle || !c.sourceHandle) return;
    const replaced = steps.find((s) => s.id === c.target)?.inputs[c.targetHandle];
    props.onConnect(c.target, c.targetHandle, `${source.name}.${c.sourceHandle}`);
    setHint(replaced ? `${c.targetHandle} was bound to ${replaced}; now ${source.name}.${c.sourceHandle}` : undefined);
  };

  const onConnectEnd = (_: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (!state.toHandle || state.isValid) return;
    const a = state.fromHandle,
      b = state.toHandle;
    const [out, inp] = a?.type === "source" ? [a, b] : [b, a];
    const from = portType(steps, manifests, out?.nodeId ?? null, out?.id, true);
    const to = portType(steps, manifests, inp?.nodeId ?? null, inp?.id, false);
    setHint(
      out?.nodeId === inp?.nodeId
        ? "A step cannot feed itself."
        : `Refused: output '${out?.id}' is a ${from ?? "?"}, input '${inp?.id}' takes a ${to ?? "?"}.`,
    );
  };

  const onNodesChangeAll = (changes: NodeChange<StepNodeType>[]) => {
    const removed = changes.filter((c) => c.type === "remove").map((c) => c.id);
    if (removed.length) props.onRemove(removed);
    onNodesChange(changes.filter((c) => c.type !== "remove" && c.type !== "select"));
  };

  const onEdgesChange = (changes: EdgeChange[]) => {
    for (const c of changes) {
      if (c.type === "select") setSelectedEdge(c.selected ? c.id : undefined);
      if (c.type === "remove") {
        const edge = edges.find((e) => e.id === c.id);
        if (edge?.targetHandle) props.onDisconnect(edge.target, edge.targetHandle);
      }
    }
  };

  const savePositions = () => {
    const byName = Object.fromEntries(nodes.map((n) => [n.data.name, n.position]));
    localStorage.setItem(props.positionsKey, JSON.stringify(byName));
  };

  return (
    <div
      className="dag-canvas canvas-wrap"
      data-testid="editor-canvas"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(MODULE_DRAG_TYPE)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = "copy";
        }
      }}
      onDrop={(e) => {
        const module = e.dataTransfer.getData(MODULE_DRAG_TYPE);
        if (!module) return;
        e.preventDefault();
        props.onDropModule(module, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
      }}
    >
      {hint && (
        <div className="hint" data-testid="connect-hint">
          {hint}
        </div>
      )}
      <ReactFlow
        nodes={shownNodes}
        edges={edges}
        {...FLOW_SETTINGS}
        onNodesChange={onNodesChangeAll}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectStart={() => setHint(undefined)}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeClick={(_, n) => props.onSelect(n.id)}
        onPaneClick={() => props.onSelect(undefined)}
        onNodeDragStop={savePositions}
        deleteKeyCode={["Delete", "Backspace"]}
      >
        <FlowChrome />
      </ReactFlow>
    </div>
  );
}
