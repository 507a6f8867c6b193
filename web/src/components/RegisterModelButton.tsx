// Shown on a run's page: when the run is a pipeline step that produced a model package, a
// "Register model" button registers that package as a new version of a registered model
// (creating the model when needed, optionally pointing an alias at the version). Renders
// nothing when the run produced no model.
import { useState } from "react";
import { Link } from "react-router-dom";
import { useApi } from "../api/useApi";
import { createModelVersion, ensureRegisteredModel, setAlias, type ModelVersion } from "../api/models";
import { getPipelineRun } from "../api/pipelines";
import { getRun, tagOf } from "../api/runs";
import { ErrorBanner } from "./Status";
import { Dialog } from "./Dialog";
import { aliasError, modelNameError } from "./modelValidation";

/** The digest of the model package a step run produced, or undefined when it made none. */
export async function findRunModel(runId: string): Promise<string | undefined> {
  const run = await getRun(runId);
  const parent = tagOf(run, "mlflow.parentRunId");
  if (parent) {
    try {
      const pipelineRun = await getPipelineRun(parent);
      const step = (pipelineRun.steps ?? []).find((s) => s.run_id === runId);
      const model = step?.outputs.find((o) => o.type === "model");
      if (step) return model?.digest;
    } catch {
      // Not a pipeline run (an MLflow parent run): fall back to the step's output tag.
    }
  }
  return tagOf(run, "kiln.output.model");
}

export function RegisterModelButton({ runId }: { runId: string }) {
  const found = useApi(() => findRunModel(runId).catch(() => undefined), [runId]);
  const [open, setOpen] = useState(false);
  const digest = found.data;
  if (!digest) return null;
  return (
    <>
      <button className="primary" onClick={() => setOpen(true)} data-testid="register-model-button">
        Register model
      </button>
      {open && <RegisterDialog runId={runId} digest={digest} onClose={() => setOpen(false)} />}
    </>
  );
}

function RegisterDialog({ runId, digest, onClose }: { runId: string; digest: string; onClose: () => void }) {
  const [name, setName] = useState("");
  const [alias, setAliasText] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<ModelVersion>();
  const nameProblem = modelNameError(name.trim());
  const aliasProblem = aliasError(alias.trim());

  async function register() {
    setTouched(true);
    if (nameProblem || aliasProblem) return;
    setBusy(true);
    setError(undefined);
    try {
      await ensureRegisteredModel(name.trim());
      const version = await createModelVersion(name.trim(), `kiln-package:${digest}`, runId);
      if (alias.trim()) await setAlias(name.trim(), alias.trim(), version.version);
      setCreated(version);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title="Register model" onClose={onClose} testId="register-dialog">
      <p className="muted">
        Package <code>{digest.slice(0, 12)}</code> from this run becomes a new model version.
      </p>
      <ErrorBanner error={error} />
      {created ? (
        <RegisteredNotice version={created} alias={alias.trim()} />
      ) : (
        <>
          <label className="field">
            Model name
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              className={touched && nameProblem ? "invalid" : ""}
              data-testid="register-name"
              autoFocus
            />
            {touched && nameProblem && (
              <span className="field-error" data-testid="register-name-error">
                {nameProblem}
              </span>
            )}
          </label>
          <label className="field">
            Alias (optional)
            <input
              value={alias}
              onChange={(e) => setAliasText(e.target.value)}
              className={touched && aliasProblem ? "invalid" : ""}
              placeholder="champion"
              data-testid="register-alias"
            />
            {touched && aliasProblem && <span className="field-error">{aliasProblem}</span>}
          </label>
        </>
      )}
      <div className="km-actions">
        <button onClick={onClose}>{created ? "Close" : "Cancel"}</button>
        {!created && (
          <button className="primary" disabled={busy} onClick={register} data-testid="register-submit">
            Register
          </button>
        )}
      </div>
    </Dialog>
  );
}

function RegisteredNotice({ version, alias }: { version: ModelVersion; alias: string }) {
  return (
    <div className="notice" data-testid="register-result">
      Registered{" "}
      <Link to={`/models/${encodeURIComponent(version.name)}`} data-testid="register-result-link">
        {version.name} version {version.version}
      </Link>
      {alias && ` as @${alias}`}.
    </div>
  );
}
