// The pipeline editor (/pipelines/new, /pipelines/:name/edit): palette, canvas, and a side
// form for the pipeline or the selected step; checks everything before saving, then saves
// the YAML (the same file the CLI runs) with PUT /api/v1/pipelines/NAME.
import { useMemo, useRef, useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { ReactFlowProvider } from "@xyflow/react";
import { getModule } from "../../api/modules";
import { listDatasets } from "../../api/datasets";
import { getPipeline, savePipeline, validatePipeline } from "../../api/pipelines";
import { useApi } from "../../api/useApi";
import { ErrorBanner, Loading } from "../../components/Status";
import { EditorCanvas } from "./EditorCanvas";
import * as model from "./editorModel";
import { useManifests } from "./manifests";
import { Palette } from "./Palette";
import { PipelineSettings } from "./PipelineSettings";
import { parseSpec } from "./spec";
import { StepForm } from "./StepForm";
import { validateState } from "./validate";
import { reformatsOnEdit, writeYaml, type Original } from "./yamlWriter";
import "./pipelines.css";

export function PipelineEditor() {
  const name = useParams().name;
  const loaded = useApi(() => (name ? getPipeline(name) : Promise.resolve(undefined)), [name]);
  if (name && !loaded.data) {
    return loaded.error ? <ErrorBanner error={loaded.error} /> : <Loading what="the pipeline" />;
  }
  return (
    <ReactFlowProvider>
      <Editor key={name ?? "new"} text={loaded.data?.spec} />
    </ReactFlowProvider>
  );
}

function useOriginal(text: string | undefined): { original?: Original; error?: Error } {
  return useMemo(() => {
    if (text === undefined) return {};
    try {
      return { original: { text, spec: parseSpec(text) } };
    } catch (e) {
      return { error: e as Error };
    }
  }, [text]);
}

function Editor({ text }: { text?: string }) {
  const navigate = useNavigate();
  const { original, error: parseError } = useOriginal(text);
  const [state, setState] = useState(() => (original ? model.fromSpec(original.spec) : model.emptyState()));
  const [selected, setSelected] = useState<string>();
  const [tab, setTab] = useState<"canvas" | "yaml">("canvas");
  const [showProblems, setShowProblems] = useState(false);
  const [saving, setSaving] = useState(false);
  // A check's answer or a save's error is about the pipeline as it was then: any edit hides it.
  const [outcome, setOutcome] = useState<{ of: typeof state; checked?: string; error?: unknown }>();
  const saveError = outcome?.of === state ? outcome.error : undefined;
  const checked = outcome?.of === state ? outcome.checked : undefined;
  const setSaveError = (error: unknown) => setOutcome({ of: state, error });
  const pending = useRef<Record<string, { x: number; y: number }>>({});
  const manifests = useManifests(state.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
  const datasets = useApi(listDatasets, []);
  const problems = useMemo(() => validateState(state, manifests), [state, manifests]);
  const yaml = useMemo(() => safeYaml(state, original), [state, original]);
  const problemSteps = useMemo(
    () => new Set(showProblems ? problems.flatMap((p) => (p.stepId ? [p.stepId] : [])) : []),
    [problems, showProblems],
  );
  const shown = showProblems ? problems : [];
  const step = state.steps.find((s) => s.id === selected);
  const reformats = useMemo(() => (original ? reformatsOnEdit(original.text) : false), [original]);

  const addModule = async (module: string, position?: { x: number; y: number }) => {
    try {
      const manifest = await getModule(module);
      const id = model.newStepId();
      const count = state.steps.length;
      pending.current[id] = position ?? { x: 40 + 40 * count, y: 40 + 40 * count };
      setState((prev) => model.addStep(prev, manifest, id));
      setSelected(id);
    } catch (e) {
      setSaveError(e);
    }
  };

  /** Asks the server to plan the pipeline without saving it (modules, types, params). */
  const check = async () => {
    setShowProblems(true);
    if (problems.length) return;
    try {
      const answer = await validatePipeline(yaml.text!);
      setOutcome({ of: state, checked: `The server accepts '${answer.name}'.` });
    } catch (e) {
      setSaveError(e);
    }
  };

  const save = async () => {
    setShowProblems(true);
    if (problems.length) return;
    setSaving(true);
    try {
      await savePipeline(state.name, yaml.text!);
      navigate(`/pipelines/${encodeURIComponent(state.name)}`);
    } catch (e) {
      setSaveError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div>
      <div className="toolbar">
        <h1 style={{ margin: 0 }}>{original ? `Edit ${original.spec.name}` : "New pipeline"}</h1>
        <span className="spacer" />
        {showProblems && problems.length > 0 && (
          <span className="field-error" data-testid="problem-count">
            {problems.length} problem(s) to fix before saving
          </span>
        )}
        <button onClick={check} disabled={showProblems && problems.length > 0} data-testid="check-pipeline">
          Check
        </button>
        <button
          className="primary"
          onClick={save}
          disabled={saving || (showProblems && problems.length > 0)}
          data-testid="save-pipeline"
        >
          {saving ? "Saving…" : "Save"}
        </button>
      </div>
      <ErrorBanner error={parseError ?? saveError} onClose={saveError ? () => setSaveError(undefined) : undefined} />
      {checked && (
        <div className="notice" data-testid="check-ok">
          {checked}
        </div>
      )}
      {reformats && (
        <p className="muted" data-testid="reformat-note">
          Saving unchanged keeps this file as it is; saving an edit also normalizes its layout (spacing, quoting).
        </p>
      )}
      {shown.length > 0 && (
        <ul className="problems panel" data-testid="problems">
          {shown.map((p, i) => (
            <li key={i}>
              <button className="link" onClick={() => setSelected(p.stepId)}>
                {p.stepId ? state.steps.find((s) => s.id === p.stepId)?.name : "pipeline"}
              </button>
              : {p.message}
            </li>
          ))}
        </ul>
      )}
      <div className="editor">
        <Palette onAdd={(m) => addModule(m)} />
        <div>
          <div className="tabs">
            <button
              className={tab === "canvas" ? "active" : ""}
              onClick={() => setTab("canvas")}
              data-testid="tab-canvas"
            >
              Canvas
            </button>
            <button className={tab === "yaml" ? "active" : ""} onClick={() => setTab("yaml")} data-testid="tab-yaml">
              YAML
            </button>
          </div>
          <div style={{ display: tab === "canvas" ? "block" : "none" }}>
            <EditorCanvas
              steps={state.steps}
              manifests={manifests}
              problemSteps={problemSteps}
              selected={selected}
              positionsKey={`kiln.pipeline-positions.${original?.spec.name ?? "new"}`}
              pendingPosition={pending}
              onSelect={setSelected}
              onDropModule={(m, p) => addModule(m, p)}
              onConnect={(id, input, binding) => setState((s) => model.setInput(s, id, input, binding))}
              onDisconnect={(id, input) => setState((s) => model.setInput(s, id, input, undefined))}
              onRemove={(ids) => {
                setState((s) => model.removeSteps(s, ids));
                setSelected(undefined);
              }}
            />
          </div>
          {tab === "yaml" && (
            <pre className="yaml-view" data-testid="yaml-preview">
              {yaml.text ?? yaml.error}
            </pre>
          )}
        </div>
        <div className="side">
          {step ? (
            <StepForm
              key={step.id}
              step={step}
              manifests={manifests}
              datasets={datasets.data ?? []}
              others={state.steps.filter((s) => s.id !== step.id)}
              problems={shown.filter((p) => p.stepId === step.id)}
              onRename={(n) => setState((s) => model.renameStep(s, step.id, n))}
              onUses={(u) => setState((s) => model.updateStep(s, step.id, (x) => ({ ...x, uses: u })))}
              onParam={(p, v) => setState((s) => model.setParam(s, step.id, p, v))}
              onInput={(i, b) => setState((s) => model.setInput(s, step.id, i, b))}
              onRemove={() => {
                setState((s) => model.removeSteps(s, [step.id]));
                setSelected(undefined);
              }}
            />
          ) : (
            <PipelineSettings
              name={state.name}
              params={state.params}
              problems={shown.filter((p) => !p.stepId)}
              onName={(n) => setState((s) => ({ ...s, name: n }))}
              onParams={(params) => setState((s) => ({ ...s, params }))}
            />
          )}
          {datasets.error && <ErrorBanner error={datasets.error} />}
        </div>
      </div>
    </div>
  );
}

function safeYaml(state: model.EditorState, original?: Original): { text?: string; error?: string } {
  try {
    return { text: writeYaml(state, original) };
  } catch (e) {
    return { error: `cannot write the YAML: ${(e as Error).message}` };
  }
}
