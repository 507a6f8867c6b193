// Runs a saved pipeline from its page: one row per pipeline param (typed, checked against
// its type and range before sending), a sweep mode where a param takes `a,b,c` or
// `range(a,b,step)` (sent as multirun overrides), and free overrides for step params.
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { submitRun, type Submission } from "../../api/pipelines";
import { ErrorBanner } from "../../components/Status";
import { Toggle } from "../../components/Toggle";
import { checkOverrideText } from "./paramCheck";
import type { PipelineParamSpec } from "./spec";

interface Props {
  pipeline: string;
  params: Record<string, PipelineParamSpec>;
  onSubmitted?: () => void;
}

const OVERRIDE = /^[~+]{0,2}[A-Za-z_][\w.-]*(=.+)?$/;

function collect(
  params: Record<string, PipelineParamSpec>,
  values: Record<string, string>,
  extra: string,
  sweep: boolean,
) {
  const problems: Record<string, string> = {};
  const overrides: string[] = [];
  for (const [name, decl] of Object.entries(params)) {
    const text = values[name]?.trim();
    if (!text) {
      if (decl.default === undefined || decl.required) problems[name] = "required: this pipeline param has no default";
      continue;
    }
    const problem = checkOverrideText(text, decl, sweep);
    if (problem) problems[name] = problem;
    else overrides.push(`${name}=${text.replace(/\s+/g, "")}`);
  }
  for (const line of extra
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    if (!OVERRIDE.test(line)) problems["__extra"] = `'${line}' is not an override (KEY=VALUE, e.g. train.eta=0.1)`;
    else overrides.push(line);
  }
  return { problems, overrides };
}

export function RunPanel({ pipeline, params, onSubmitted }: Props) {
  const navigate = useNavigate();
  const [sweep, setSweep] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const [extra, setExtra] = useState("");
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [submission, setSubmission] = useState<Submission>();

  const submit = async () => {
    const { problems, overrides } = collect(params, values, extra, sweep);
    setProblems(problems);
    setError(undefined);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const answer = await submitRun({ pipeline, overrides, multirun: sweep });
      onSubmitted?.();
      if (answer.runs.length === 1 && !answer.sweep_id) navigate(`/pipeline-runs/${answer.runs[0].run_id}`);
      else setSubmission(answer);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel" data-testid="run-panel">
      <div className="toolbar">
        <h2 style={{ margin: 0 }}>Run</h2>
        <span className="spacer" />
        <Toggle checked={sweep} onChange={setSweep} testId="sweep-mode">
          sweep (grid)
        </Toggle>
      </div>
      <p className="muted" style={{ marginTop: 0 }}>
        Empty fields keep the defaults.{" "}
        {sweep ? "A value may be a list (2,3,4) or range(start,stop,step) — stop excluded." : ""}
      </p>
      {Object.entries(params).map(([name, decl]) => (
        <OverrideRow
          key={name}
          name={name}
          decl={decl}
          value={values[name] ?? ""}
          problem={problems[name]}
          onChange={(v) => setValues((prev) => ({ ...prev, [name]: v }))}
        />
      ))}
      <label className="field">
        <span>Other overrides (one per line, e.g. train.eta=0.1)</span>
        <textarea rows={2} value={extra} onChange={(e) => setExtra(e.target.value)} data-testid="extra-overrides" />
        {problems.__extra && <span className="field-error">{problems.__extra}</span>}
      </label>
      <ErrorBanner error={error} onClose={() => setError(undefined)} />
      <button className="primary" onClick={submit} disabled={busy} data-testid="run-submit">
        {sweep ? "Start sweep" : "Run pipeline"}
      </button>
      {submission && <SweepResult submission={submission} />}
    </div>
  );
}

function describe(decl: PipelineParamSpec): string {
  const parts = [decl.type];
  if (decl.default !== undefined) parts.push(`default ${JSON.stringify(decl.default)}`);
  if (decl.min !== undefined) parts.push(`min ${decl.min}`);
  if (decl.max !== undefined) parts.push(`max ${decl.max}`);
  if (decl.values) parts.push(`one of ${decl.values.join(", ")}`);
  return parts.join(" · ");
}

function OverrideRow(props: {
  name: string;
  decl: PipelineParamSpec;
  value: string;
  problem?: string;
  onChange: (v: string) => void;
}) {
  const { name, decl, value, problem } = props;
  return (
    <label className="field override-row">
      <span className="mono">{name}</span>
      <span style={{ display: "flex", flexDirection: "column", gap: "0.2rem" }}>
        <input
          value={value}
          placeholder={decl.default !== undefined ? String(decl.default) : "required"}
          className={problem ? "invalid" : ""}
          onChange={(e) => props.onChange(e.target.value)}
          data-testid={`override-${name}`}
        />
        <span className="help">
          {describe(decl)}
          {decl.help ? ` — ${decl.help}` : ""}
        </span>
        {problem && (
          <span className="field-error" data-testid="field-error">
            {name}: {problem}
          </span>
        )}
      </span>
    </label>
  );
}

function SweepResult({ submission }: { submission: Submission }) {
  const ids = submission.runs.map((r) => r.run_id);
  return (
    <div className="notice" style={{ marginTop: "0.8rem" }} data-testid="sweep-result">
      <div>
        Sweep {submission.sweep_id}: {ids.length} runs.{" "}
        <Link to={`/compare?runs=${ids.join(",")}`} data-testid="sweep-compare">
          Compare them
        </Link>
      </div>
      <ul style={{ margin: "0.4rem 0 0" }}>
        {submission.runs.map((r) => (
          <li key={r.run_id}>
            <Link to={`/pipeline-runs/${r.run_id}`} data-testid="sweep-run-link">
              {r.description || r.run_id}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
