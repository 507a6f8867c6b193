// A step drawn on the canvas: its name, module@version, status, and one handle per input
// (left) and output (right), each labelled with its artifact type. External bindings
// (file:, dataset:) show as badges on their input.
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";

export interface PortView {
  name: string;
  type: string; // "" when unknown (inline steps' inputs)
  optional?: boolean;
  external?: string; // a file: or dataset: binding
}

export interface StepNodeData extends Record<string, unknown> {
  name: string;
  uses: string;
  inputs: PortView[];
  outputs: PortView[];
  status?: string;
  problem?: boolean; // the editor found something to fix in this step
}

export type StepNodeType = Node<StepNodeData, "step">;

/** Estimated height (head, module line, one row per port), for the layout before measuring. */
export const nodeHeight = (d: { inputs: unknown[]; outputs: unknown[] }) =>
  50 + 23 * Math.max(1, d.inputs.length, d.outputs.length);

export function StepNode({ data, selected }: NodeProps<StepNodeType>) {
  const status = data.status?.toLowerCase() ?? "none";
  const classes = ["step-node", `status-${status}`, selected ? "selected" : "", data.problem ? "problem" : ""];
  return (
    <div className={classes.join(" ")} data-testid={`step-node-${data.name}`} data-status={data.status ?? ""}>
      <div className="step-head">
        <strong>{data.name}</strong>
        {data.status && (
          <span className={`badge state-${status}`} data-testid="step-status">
            {data.status}
          </span>
        )}
      </div>
      <div className="step-uses mono">{data.uses}</div>
      <div className="step-ports">
        <div>
          {data.inputs.map((p) => (
            <div className="port in" key={p.name}>
              <Handle
                type="target"
                position={Position.Left}
                id={p.name}
                className={`handle type-${p.type || "any"}`}
                data-testid={`handle-${data.name}-in-${p.name}`}
              />
              <span title={p.type}>
                {p.name}
                {p.optional ? "?" : ""} <em>{p.type}</em>
              </span>
              {p.external && (
                <span className="ext-badge mono" title={p.external}>
                  {p.external}
                </span>
              )}
            </div>
          ))}
        </div>
        <div>
          {data.outputs.map((p) => (
            <div className="port out" key={p.name}>
              <span title={p.type}>
                <em>{p.type}</em> {p.name}
              </span>
              <Handle
                type="source"
                position={Position.Right}
                id={p.name}
                className={`handle type-${p.type || "any"}`}
                data-testid={`handle-${data.name}-out-${p.name}`}
              />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

export const nodeTypes = { step: StepNode };
