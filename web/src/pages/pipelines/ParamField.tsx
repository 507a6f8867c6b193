// One module param in the step form, generated from its manifest entry: number inputs with
// min/max for int and float, a checkbox for bool, a select for enum, one line per item for
// lists, text otherwise. Any field also takes `${params.NAME}` to pass a pipeline param.
import { useState } from "react";
import type { ModuleParam } from "../../api/modules";
import { formatValue } from "../../components/format";
import { PARAM_REF } from "./paramCheck";

interface Props {
  param: ModuleParam;
  value: unknown;
  problem?: string;
  onChange: (value: unknown) => void; // undefined: not set (the module default applies)
}

/** Text typed into a number field: a number when it is one, else the text (flagged invalid). */
function parseNumber(text: string, type: string): unknown {
  const t = text.trim();
  if (t === "") return undefined;
  if (PARAM_REF.test(t)) return t;
  if (type === "int" && /^[-+]?\d+$/.test(t)) return Number(t);
  if (type === "float" && Number.isFinite(Number(t))) return Number(t);
  return text;
}

function parseList(text: string, items: string): unknown {
  const t = text.trim();
  if (t === "") return undefined;
  if (PARAM_REF.test(t)) return t;
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return items === "int" || items === "float" ? lines.map((l) => (Number.isFinite(Number(l)) ? Number(l) : l)) : lines;
}

export function ParamField({ param, value, problem, onChange }: Props) {
  const required = param.required || param.default === undefined;
  const [text, setText] = useState(() => (Array.isArray(value) ? value.join("\n") : formatValue(value)));
  const id = `param-${param.name}`;
  const common = { id, className: problem ? "invalid" : "", "data-testid": id, "aria-invalid": !!problem };
  const setFromText = (t: string, parse: (t: string) => unknown) => {
    setText(t);
    onChange(parse(t));
  };
  let input;
  if (param.type === "int" || param.type === "float") {
    input = (
      <input
        {...common}
        inputMode="decimal"
        value={text}
        placeholder={formatValue(param.default)}
        onChange={(e) => setFromText(e.target.value, (t) => parseNumber(t, param.type))}
      />
    );
  } else if (param.type === "bool") {
    const effective = value === undefined ? param.default === true : value === true || value === "true";
    input = <input {...common} type="checkbox" checked={effective} onChange={(e) => onChange(e.target.checked)} />;
  } else if (param.type === "enum") {
    input = (
      <select {...common} value={formatValue(value)} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">
          {param.default !== undefined ? `(default: ${formatValue(param.default)})` : "(choose)"}
        </option>
        {param.values?.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    );
  } else if (param.type === "list") {
    input = (
      <textarea
        {...common}
        rows={3}
        value={text}
        placeholder={Array.isArray(param.default) ? param.default.join("\n") : ""}
        onChange={(e) => setFromText(e.target.value, (t) => parseList(t, param.items ?? "string"))}
      />
    );
  } else {
    input = (
      <input
        {...common}
        value={text}
        placeholder={formatValue(param.default)}
        onChange={(e) => setFromText(e.target.value, (t) => (t === "" ? undefined : t))}
      />
    );
  }
  return (
    <label className="field" htmlFor={id}>
      <span>
        <span className="mono">{param.name}</span>
        {required && (
          <span className="required-mark" title="required">
            *
          </span>
        )}{" "}
        <span className="muted">{describe(param)}</span>
        {value !== undefined && !required && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setText("");
              onChange(undefined);
            }}
            title="use the default"
          >
            reset
          </button>
        )}
      </span>
      {input}
      {param.help && <span className="help">{param.help}</span>}
      {problem && (
        <span className="field-error" data-testid="field-error">
          {problem}
        </span>
      )}
    </label>
  );
}

function describe(p: ModuleParam): string {
  const parts = [p.type === "list" ? `list of ${p.items ?? "string"} (one per line)` : p.type];
  if (p.min !== undefined) parts.push(`≥ ${p.min}`);
  if (p.max !== undefined) parts.push(`≤ ${p.max}`);
  if (p.default !== undefined) parts.push(`default ${formatValue(p.default)}`);
  return parts.join(", ");
}
