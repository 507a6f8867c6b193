// "Try it": a form generated from the serving model's signature (its OpenAPI Row schema), one
// typed input per column, checked before sending; POST /serve/NAME/predict shows the answer.
import { useMemo, useState } from "react";
import { useApi } from "../../api/useApi";
import { getSignature, predict, type PredictAnswer, type SignatureColumn } from "../../api/deployments";
import { ErrorBanner, Loading } from "../../components/Status";
import { Prediction } from "./PredictionView";

type Values = Record<string, string>;

/** The typed value of one field, or an error naming the column. */
export function parseField(column: SignatureColumn, text: string): { value?: unknown; error?: string } {
  const t = text.trim();
  if (t === "") return column.nullable ? { value: null } : { error: `${column.name} is required` };
  if (column.type === "number" || column.type === "integer") {
    const n = Number(t);
    if (!Number.isFinite(n)) return { error: `${column.name}: expected a number, got '${t}'` };
    if (column.type === "integer" && !Number.isInteger(n))
      return { error: `${column.name}: expected a whole number, got '${t}'` };
    return { value: n };
  }
  if (column.type === "boolean") return { value: t === "true" };
  return { value: t };
}

export function TryIt({
  name,
  ready,
  example,
  onSent,
}: {
  name: string;
  ready: boolean;
  example?: Record<string, unknown>;
  onSent: () => void;
}) {
  const signature = useApi(() => (ready ? getSignature(name) : Promise.resolve(undefined)), [name, ready]);
  // Until the user types, the form shows the newest logged request's inputs.
  const [edited, setValues] = useState<Values>();
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [answer, setAnswer] = useState<PredictAnswer>();
  const columns = signature.data ?? [];

  const values = useMemo<Values>(
    () => edited ?? Object.fromEntries(Object.entries(example ?? {}).map(([k, v]) => [k, v === null ? "" : String(v)])),
    [edited, example],
  );

  const parsed = columns.map((c) => ({ column: c, ...parseField(c, values[c.name] ?? "") }));
  async function send() {
    setTouched(true);
    if (parsed.some((p) => p.error)) return;
    setBusy(true);
    setError(undefined);
    try {
      setAnswer(await predict(name, [Object.fromEntries(parsed.map((p) => [p.column.name, p.value]))]));
      onSent();
    } catch (e) {
      setError(e);
      setAnswer(undefined);
    } finally {
      setBusy(false);
    }
  }

  if (!ready) return <p className="muted">The form appears once a version is loaded.</p>;
  return (
    <div data-testid="try-it">
      <ErrorBanner error={signature.error} />
      {!signature.data && signature.loading && <Loading what="signature" />}
      <div className="km-inputs">
        {parsed.map(({ column, error: problem }) => (
          <FieldInput
            key={column.name}
            column={column}
            value={values[column.name] ?? ""}
            error={touched ? problem : undefined}
            onChange={(v) => setValues({ ...values, [column.name]: v })}
          />
        ))}
      </div>
      <div className="toolbar">
        <button className="primary" disabled={busy || columns.length === 0} onClick={send} data-testid="try-submit">
          Predict
        </button>
      </div>
      <ErrorBanner error={error} />
      {answer && <Prediction name={name} answer={answer} />}
    </div>
  );
}

function FieldInput({
  column,
  value,
  error,
  onChange,
}: {
  column: SignatureColumn;
  value: string;
  error?: string;
  onChange: (v: string) => void;
}) {
  const common = { value, className: error ? "invalid" : "", "data-testid": `try-input-${column.name}` };
  const choices = column.type === "boolean" ? ["true", "false"] : column.values;
  return (
    <label className="field">
      <span title={column.nullable ? "leave empty for a missing value" : undefined}>
        {column.name} <span className="muted">{column.type}</span>
      </span>
      {choices ? (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          <option value="" />
          {choices.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          inputMode={column.type === "string" ? "text" : "decimal"}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {error && (
        <span className="field-error" data-testid="try-error">
          {error}
        </span>
      )}
    </label>
  );
}
