// Deploys a model reference (MODEL@ALIAS or MODEL/VERSION), optionally with a canary, through
// POST /api/v1/deployments, then opens the deployment's page.
import { useState, type ReactNode } from "react";
import { useNavigate } from "react-router-dom";
import { applyDeployment } from "../api/deployments";
import { ErrorBanner } from "./Status";
import { Dialog } from "./Dialog";
import { deploymentNameError, modelRefError, weightError } from "./modelValidation";

export function DeployDialog({
  defaultName,
  modelRef,
  initialCanary = "",
  initialWeight = "",
  onClose,
}: {
  defaultName: string;
  modelRef: string;
  initialCanary?: string;
  initialWeight?: string;
  onClose: () => void;
}) {
  const navigate = useNavigate();
  const [name, setName] = useState(defaultName);
  const [model, setModel] = useState(modelRef);
  const [canary, setCanary] = useState(initialCanary);
  const [weight, setWeight] = useState(initialWeight);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const problems = {
    name: deploymentNameError(name.trim()),
    model: modelRefError(model.trim(), "model"),
    canary: modelRefError(canary.trim(), "canary", false),
    weight: weightError(weight) || (weight.trim() && !canary.trim() ? "canary weight needs a canary" : ""),
  };
  const shown = (field: keyof typeof problems) => (touched ? problems[field] : "");

  async function deploy() {
    setTouched(true);
    if (Object.values(problems).some(Boolean)) return;
    setBusy(true);
    setError(undefined);
    try {
      const d = await applyDeployment({
        name: name.trim(),
        model: model.trim(),
        canary: canary.trim() || undefined,
        canary_weight: canary.trim() && weight.trim() ? Number(weight) : undefined,
      });
      navigate(`/deployments/${encodeURIComponent(d.name)}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <Dialog title="Deploy" onClose={onClose} testId="deploy-dialog">
      <ErrorBanner error={error} />
      <Field label="Deployment name" help="the URL segment: /serve/NAME/predict" error={shown("name")}>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          className={shown("name") ? "invalid" : ""}
          data-testid="deploy-name"
        />
      </Field>
      <Field label="Model" help="MODEL@ALIAS follows the alias; MODEL/VERSION is fixed" error={shown("model")}>
        <input
          value={model}
          onChange={(e) => setModel(e.target.value)}
          className={shown("model") ? "invalid" : ""}
          data-testid="deploy-model"
        />
      </Field>
      <div className="row">
        <div className="grow">
          <Field label="Canary (optional)" help="a second reference taking a share of requests" error={shown("canary")}>
            <input
              value={canary}
              onChange={(e) => setCanary(e.target.value)}
              className={shown("canary") ? "invalid" : ""}
              data-testid="deploy-canary"
            />
          </Field>
        </div>
        <Field label="Canary weight %" help="0-100, default 10" error={shown("weight")}>
          <input
            value={weight}
            onChange={(e) => setWeight(e.target.value)}
            size={6}
            className={shown("weight") ? "invalid" : ""}
            data-testid="deploy-weight"
          />
        </Field>
      </div>
      <div className="km-actions">
        <button onClick={onClose}>Cancel</button>
        <button className="primary" disabled={busy} onClick={deploy} data-testid="deploy-submit">
          Deploy
        </button>
      </div>
    </Dialog>
  );
}

function Field({ label, help, error, children }: { label: string; help: string; error: string; children: ReactNode }) {
  return (
    <label className="field">
      {label}
      {children}
      {error ? (
        <span className="field-error" data-testid="field-error">
          {error}
        </span>
      ) : (
        <span className="help">{help}</span>
      )}
    </label>
  );
}

/** A deployment name proposed from a model name (letters, digits, '.', '_', '-'). */
export function suggestDeploymentName(model: string): string {
  const cleaned = model.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "");
  return cleaned.slice(0, 63) || "model";
}
