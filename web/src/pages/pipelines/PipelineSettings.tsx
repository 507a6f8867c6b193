// The pipeline-level form shown when no step is selected: the pipeline's name and its
// params (name, type, default, min, max), which steps use as `${params.NAME}`. Every box has
// a visible label and an accessible name that says whose and which it is ("depth min").
import { useState } from "react";
import { NameField } from "./NameField";
import type { PipelineParamSpec } from "./spec";
import type { Problem } from "./validate";

interface Props {
  name: string;
  params: Record<string, PipelineParamSpec>;
  problems: Problem[]; // pipeline-level
  onName: (name: string) => void;
  onParams: (params: Record<string, PipelineParamSpec>) => void;
}

const TYPES = ["int", "float", "bool", "string", "enum", "list"];

/** Typed JSON-ish text: numbers and booleans become values, anything else stays text. */
function typed(text: string, type: string): unknown {
  if (text.trim() === "") return undefined;
  if ((type === "int" || type === "float") && Number.isFinite(Number(text))) return Number(text);
  if (type === "bool" && (text === "true" || text === "false")) return text === "true";
  return text;
}

export function PipelineSettings({ name, params, problems, onName, onParams }: Props) {
  const [newParam, setNewParam] = useState("");
  const problemOf = (field: string) => problems.find((p) => p.field === field)?.message;
  const change = (key: string, patch: Partial<PipelineParamSpec>) => {
    const next = { ...params[key], ...patch };
    for (const k of Object.keys(patch) as (keyof PipelineParamSpec)[]) if (next[k] === undefined) delete next[k];
    onParams({ ...params, [key]: next });
  };
  const remove = (key: string) => {
    const next = { ...params };
    delete next[key];
    onParams(next);
  };
  return (
    <div className="panel" data-testid="pipeline-settings">
      <NameField
        label="Pipeline name"
        value={name}
        problem={problemOf("name")}
        testId="pipeline-name-input"
        onChange={onName}
      />
      <h3>Pipeline params</h3>
      <p className="help muted">
        Steps use them as <code>{"${params.NAME}"}</code>; runs can override them.
      </p>
      {Object.entries(params).map(([key, decl]) => (
        <div key={key} className="field" role="group" aria-label={`param ${key}`} data-testid={`pipeline-param-${key}`}>
          <span className="binding">
            <strong className="mono">{key}</strong>
            <label className="mini-field inline">
              <span>type</span>
              <select
                value={decl.type}
                aria-label={`${key} type`}
                onChange={(e) => change(key, { type: e.target.value })}
              >
                {TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </label>
            <button className="link" aria-label={`remove ${key}`} onClick={() => remove(key)}>
              remove
            </button>
          </span>
          <span className="binding param-values">
            <label className="mini-field">
              <span>default</span>
              <input
                style={{ width: "6rem" }}
                aria-label={`${key} default`}
                value={decl.default === undefined ? "" : String(decl.default)}
                onChange={(e) => change(key, { default: typed(e.target.value, decl.type) })}
              />
            </label>
            {(decl.type === "int" || decl.type === "float") && (
              <>
                <label className="mini-field">
                  <span>min</span>
                  <input
                    style={{ width: "4.5rem" }}
                    aria-label={`${key} min`}
                    value={decl.min ?? ""}
                    onChange={(e) => change(key, { min: typed(e.target.value, "float") as number | undefined })}
                  />
                </label>
                <label className="mini-field">
                  <span>max</span>
                  <input
                    style={{ width: "4.5rem" }}
                    aria-label={`${key} max`}
                    value={decl.max ?? ""}
                    onChange={(e) => change(key, { max: typed(e.target.value, "float") as number | undefined })}
                  />
                </label>
              </>
            )}
          </span>
          {problemOf(`pipeline-params.${key}`) && (
            <span className="field-error">{problemOf(`pipeline-params.${key}`)}</span>
          )}
        </div>
      ))}
      <span className="binding">
        <input
          placeholder="new param name"
          aria-label="new param name"
          value={newParam}
          onChange={(e) => setNewParam(e.target.value)}
          data-testid="new-param-name"
        />
        <button
          disabled={!newParam || newParam in params}
          onClick={() => {
            onParams({ ...params, [newParam]: { type: "int" } });
            setNewParam("");
          }}
        >
          Add param
        </button>
      </span>
    </div>
  );
}
