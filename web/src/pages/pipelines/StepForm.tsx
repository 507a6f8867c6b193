// The side form of the selected step: its name, module version, params (generated from the
// module's manifest) and input bindings, with this step's problems shown by their fields.
import { useState } from "react";
import type { DatasetSummary } from "../../api/datasets";
import { ErrorBanner, Loading } from "../../components/Status";
import type { EditorStep } from "./editorModel";
import type { Manifests } from "./manifests";
import { BindingField } from "./BindingField";
import { NameField } from "./NameField";
import { ParamField } from "./ParamField";
import { splitUses } from "./spec";
import { manifestOf } from "./manifests";
import type { Problem } from "./validate";

interface Props {
  step: EditorStep;
  manifests: Manifests;
  datasets: DatasetSummary[];
  others: EditorStep[]; // the pipeline's other steps, for binding an input to their outputs
  problems: Problem[]; // this step's
  onRename: (name: string) => void;
  onUses: (uses: string) => void;
  onParam: (name: string, value: unknown) => void;
  onInput: (name: string, binding: string | undefined) => void;
  onRemove: () => void;
}

export function StepForm(props: Props) {
  const { step, manifests, problems } = props;
  const problemOf = (field: string) => problems.find((p) => p.field === field)?.message;
  const [name, setName] = useState(step.name);
  if (!step.uses) {
    return (
      <div className="panel" data-testid="step-form">
        <h2 style={{ marginTop: 0 }}>{step.name}</h2>
        <p className="muted">An inline command step; edit it in the YAML file.</p>
        <pre>{step.command?.join(" ")}</pre>
      </div>
    );
  }
  const manifest = manifests[step.uses];
  const { module } = splitUses(step.uses);
  return (
    <div className="panel" data-testid="step-form">
      <NameField
        label="Step name"
        value={name}
        problem={problemOf("name")}
        testId="step-name"
        onChange={(value) => {
          setName(value);
          props.onRename(value);
        }}
      />
      {manifest instanceof Error && <ErrorBanner error={manifest} />}
      {!manifest && <Loading what="the module" />}
      {manifest && !(manifest instanceof Error) && (
        <>
          <label className="field">
            <span>Module</span>
            <span className="binding">
              <span className="mono">{module}@</span>
              <select
                value={manifest.version}
                onChange={(e) => props.onUses(`${module}@${e.target.value}`)}
                data-testid="step-version"
              >
                {manifest.versions.map((v) => (
                  <option key={v}>{v}</option>
                ))}
              </select>
            </span>
            <span className="help">{manifest.description}</span>
          </label>
          <h3>Inputs</h3>
          {manifest.inputs.length === 0 && <p className="muted">none</p>}
          {manifest.inputs.map((port) => (
            <BindingField
              key={port.name}
              port={port}
              binding={step.inputs[port.name]}
              datasets={props.datasets}
              upstream={upstreamOf(props.others, manifests, port.type)}
              problem={problemOf(`inputs.${port.name}`)}
              onChange={(b) => props.onInput(port.name, b)}
            />
          ))}
          <h3>Params</h3>
          {manifest.params.length === 0 && <p className="muted">none</p>}
          {manifest.params.map((p) => (
            <ParamField
              key={`${step.id}-${manifest.version}-${p.name}`}
              param={p}
              value={step.params[p.name]}
              problem={problemOf(`params.${p.name}`)}
              onChange={(v) => props.onParam(p.name, v)}
            />
          ))}
          {problems
            .filter(
              (p) => p.field.startsWith("params.") && !manifest.params.some((m) => `params.${m.name}` === p.field),
            )
            .map((p) => (
              <div key={p.field} className="field-error">
                {p.message}
              </div>
            ))}
        </>
      )}
      <button className="danger" onClick={props.onRemove} data-testid="remove-step" style={{ marginTop: "0.6rem" }}>
        Remove step
      </button>
    </div>
  );
}

/** The outputs of `steps` whose type is `type`, as bindings. */
function upstreamOf(steps: EditorStep[], manifests: Manifests, type: string): string[] {
  return steps.flatMap((s) =>
    (manifestOf(manifests, s.uses)?.outputs ?? []).filter((o) => o.type === type).map((o) => `${s.name}.${o.name}`),
  );
}
