// What both pipeline canvases (the read-only DAG and the editor) share around React Flow:
// how a fit frames the steps, the flow settings, and the dotted background with zoom controls.
import { Background, Controls } from "@xyflow/react";
import { nodeTypes } from "./StepNode";

/** Readable node text wins over seeing everything at once: long pipelines pan sideways. */
export const FIT_VIEW = { padding: 0.1, minZoom: 0.55, maxZoom: 1 };

/** React Flow props every pipeline canvas passes. */
export const FLOW_SETTINGS = { nodeTypes, minZoom: 0.2, proOptions: { hideAttribution: true } };

/** The background and zoom controls drawn inside every pipeline canvas. */
export function FlowChrome() {
  return (
    <>
      <Background gap={16} />
      <Controls showInteractive={false} />
    </>
  );
}
