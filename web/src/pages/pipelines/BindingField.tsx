// One input of a step in the step form: shows the connected upstream output, or lets the
// user bind the input to a dataset (dataset:NAME@VERSION|latest) or a file path.
import type { ModulePort } from "../../api/modules";
import type { DatasetSummary } from "../../api/datasets";
import { parseBinding } from "./spec";

interface Props {
  port: ModulePort;
  binding: string | undefined;
  datasets: DatasetSummary[];
  upstream: string[]; // "STEP.OUTPUT" of other steps' outputs of this input's type
  problem?: string;
  onChange: (binding: string | undefined) => void;
}

export function BindingField({ port, binding, datasets, upstream, problem, onChange }: Props) {
  const b = parseBinding(binding);
  const id = `input-${port.name}`;
  const setKind = (kind: string) => {
    if (kind === "dataset") onChange(`dataset:${datasets[0]?.name ?? ""}@latest`);
    else if (kind === "file") onChange("file:");
    else if (kind === "step" && upstream.length) onChange(upstream[0]);
    else onChange(undefined);
  };
  return (
    <div className="field" data-testid={id}>
      <span>
        <span className="mono">{port.name}</span>
        {!port.optional && (
          <span className="required-mark" title="required">
            *
          </span>
        )}{" "}
        <span className="muted">
          {port.type}
          {port.optional ? ", optional" : ""}
        </span>
      </span>
      {b.kind === "step" ? (
        <span className="binding">
          ←
          <select
            value={binding}
            onChange={(e) => onChange(e.target.value)}
            data-testid={`${id}-upstream`}
            aria-label={`${port.name} is bound to`}
          >
            {!upstream.includes(binding!) && (
              <option value={binding}>
                {b.step}.{b.output}
              </option>
            )}
            {upstream.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
          <button type="button" className="link" onClick={() => onChange(undefined)} data-testid={`${id}-disconnect`}>
            disconnect
          </button>
        </span>
      ) : (
        <span className="binding">
          <select
            value={b.kind}
            onChange={(e) => setKind(e.target.value)}
            data-testid={`${id}-kind`}
            className={problem ? "invalid" : ""}
          >
            <option value="none">{port.optional ? "(unbound)" : "(connect on the canvas, or bind:)"}</option>
            {upstream.length > 0 && <option value="step">a step's output</option>}
            <option value="dataset">dataset</option>
            <option value="file">file</option>
          </select>
          {b.kind === "dataset" && (
            <>
              <select
                value={b.dataset}
                onChange={(e) => onChange(`dataset:${e.target.value}@${b.version}`)}
                data-testid={`${id}-dataset`}
              >
                {!datasets.some((d) => d.name === b.dataset) && (
                  <option value={b.dataset}>{b.dataset || "(none)"}</option>
                )}
                {datasets.map((d) => (
                  <option key={d.name} value={d.name}>
                    {d.name} (latest v{d.latest_version})
                  </option>
                ))}
              </select>
              @
              <input
                style={{ width: "5rem" }}
                value={b.version}
                data-testid={`${id}-version`}
                onChange={(e) => onChange(`dataset:${b.dataset}@${e.target.value}`)}
              />
            </>
          )}
          {b.kind === "file" && (
            <input
              value={b.path}
              placeholder="path relative to the pipeline file"
              data-testid={`${id}-path`}
              onChange={(e) => onChange(`file:${e.target.value}`)}
            />
          )}
        </span>
      )}
      {port.description && <span className="help muted">{port.description}</span>}
      {problem && (
        <span className="field-error" data-testid="field-error">
          {problem}
        </span>
      )}
    </div>
  );
}
