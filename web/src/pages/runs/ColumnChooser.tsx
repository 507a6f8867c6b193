// Chooses which params and metrics show as run table columns, from the keys seen in the
// loaded page (plus the ones already chosen).
import type { Run } from "../../api/runs";
import { type Column, columnId } from "./runTableState";

export interface PageKeys {
  params: string[];
  metrics: string[];
}

/** The param and metric keys of a page, the most common first. */
export function keysOfPage(runs: Run[]): PageKeys {
  const params = new Map<string, number>();
  const metrics = new Map<string, number>();
  for (const run of runs) {
    run.data.params?.forEach((p) => params.set(p.key, (params.get(p.key) ?? 0) + 1));
    run.data.metrics?.forEach((m) => metrics.set(m.key, (metrics.get(m.key) ?? 0) + 1));
  }
  return { params: byCount(params), metrics: byCount(metrics) };
}

const byCount = (counts: Map<string, number>) =>
  [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key]) => key);

/** Columns shown before any are chosen: a few params and metrics of the page. */
export function defaultColumns(keys: PageKeys): Column[] {
  return [
    ...keys.params.slice(0, 4).map((key) => ({ kind: "params", key }) as Column),
    ...keys.metrics.slice(0, 5).map((key) => ({ kind: "metrics", key }) as Column),
  ];
}

interface Props {
  keys: PageKeys;
  columns: Column[];
  onChange: (columns: Column[]) => void;
}

export function ColumnChooser({ keys, columns, onChange }: Props) {
  const chosen = new Set(columns.map(columnId));
  const toggle = (column: Column) => {
    const id = columnId(column);
    onChange(chosen.has(id) ? columns.filter((c) => columnId(c) !== id) : [...columns, column]);
  };
  const group = (kind: Column["kind"], seen: string[]) => {
    const extra = columns.filter((c) => c.kind === kind && !seen.includes(c.key)).map((c) => c.key);
    return [...seen, ...extra].sort().map((key) => (
      <label key={`${kind}.${key}`} className="column-option">
        <input
          type="checkbox"
          data-testid={`column-option-${kind}.${key}`}
          checked={chosen.has(`${kind}.${key}`)}
          onChange={() => toggle({ kind, key })}
        />{" "}
        {key}
      </label>
    ));
  };
  return (
    <details className="column-chooser" data-testid="column-chooser">
      <summary>Columns ({columns.length})</summary>
      <div className="column-menu">
        <div>
          <h3>Params</h3>
          {keys.params.length === 0 && <div className="muted">none on this page</div>}
          {group("params", keys.params)}
        </div>
        <div>
          <h3>Metrics</h3>
          {keys.metrics.length === 0 && <div className="muted">none on this page</div>}
          {group("metrics", keys.metrics)}
        </div>
        <div className="toolbar">
          <button type="button" onClick={() => onChange([])}>
            None
          </button>
        </div>
      </div>
    </details>
  );
}
