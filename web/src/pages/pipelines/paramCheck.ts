// Checks a param value against its declaration (type, min, max, enum values, list items)
// before anything is sent, with messages that name the problem. Used by the run panel (text
// typed by the user) and the editor's step form (typed values from the form).

export interface ParamDecl {
  type: string;
  min?: number;
  max?: number;
  values?: string[];
  items?: string;
}

export const PARAM_REF = /^\$\{params\.([A-Za-z_][A-Za-z0-9_]*)\}$/;
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkRange(n: number, decl: ParamDecl): string | undefined {
  if (decl.min !== undefined && n < decl.min) return `${n} is below the minimum ${decl.min}`;
  if (decl.max !== undefined && n > decl.max) return `${n} is above the maximum ${decl.max}`;
  return undefined;
}

/** One scalar value as text (`type` is int, float, bool, enum or string). */
export function checkScalarText(type: string, text: string, decl: ParamDecl): string | undefined {
  const t = text.trim();
  switch (type) {
    case "int":
      if (!/^[-+]?\d+$/.test(t)) return `expected an integer, found '${text}'`;
      return checkRange(Number(t), decl);
    case "float":
      if (t === "" || !Number.isFinite(Number(t))) return `expected a number, found '${text}'`;
      return checkRange(Number(t), decl);
    case "bool":
      return t === "true" || t === "false" ? undefined : `expected true or false, found '${text}'`;
    case "enum":
      return decl.values?.includes(t) ? undefined : `expected one of ${decl.values?.join(", ")}, found '${text}'`;
    default:
      return undefined;
  }
}

/** A typed value from the editor's form (or a `${params.X}` reference). */
export function checkValue(value: unknown, decl: ParamDecl, pipelineParams: string[]): string | undefined {
  if (typeof value === "string") {
    const ref = PARAM_REF.exec(value);
    if (ref) return pipelineParams.includes(ref[1]) ? undefined : `pipeline param '${ref[1]}' is not declared`;
  }
  if (decl.type === "list") {
    if (!Array.isArray(value)) return "expected a list";
    for (const [i, item] of value.entries()) {
      const problem = checkScalarText(decl.items ?? "string", String(item), { ...decl, values: decl.values });
      if (problem) return `item ${i + 1}: ${problem}`;
    }
    return undefined;
  }
  if (decl.type === "string") return typeof value === "string" ? undefined : `expected text`;
  return checkScalarText(decl.type, String(value), decl);
}

/** Text from a run's override box: a single value, or (in a sweep) `a,b,c` or `range(a,b[,step])`. */
export function checkOverrideText(text: string, decl: ParamDecl, sweep: boolean): string | undefined {
  const t = text.trim();
  const range = /^range\(([^,]+),([^,]+)(?:,([^,]+))?\)$/.exec(t);
  if (sweep && range) {
    if (decl.type !== "int" && decl.type !== "float") return "range(...) needs an int or float param";
    const parts = range.slice(1).filter((p) => p !== undefined);
    for (const p of parts) if (!Number.isFinite(Number(p))) return `range: '${p}' is not a number`;
    if (Number(range[1]) >= Number(range[2])) return "range: start must be below stop";
    return checkRange(Number(range[1]), decl);
  }
  if (decl.type === "list") return undefined; // a list override is `[a,b]`; the server checks it
  const items = sweep ? t.split(",") : [t];
  if (!sweep && t.includes(",")) return "a comma list is a sweep: switch to sweep mode";
  for (const item of items) {
    const problem = checkScalarText(decl.type, item, decl);
    if (problem) return problem;
  }
  return undefined;
}
