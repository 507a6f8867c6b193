// The run table's state, kept in the URL query so a link reopens the same view:
// filter, order (an order_by item), cols (chosen param/metric columns), size, top.
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router-dom";

export const PAGE_SIZES = [50, 100] as const;

/** A chosen column: a param or a metric by key. */
export interface Column {
  kind: "params" | "metrics";
  key: string;
}

export interface RunTableState {
  filter: string;
  order: string;
  columns: Column[] | undefined; // undefined: none chosen yet, pick from the page
  size: number;
  topLevelOnly: boolean;
}

export const columnId = (c: Column) => `${c.kind}.${c.key}`;

function parseColumns(text: string | null): Column[] | undefined {
  if (text === null) return undefined;
  return text
    .split(",")
    .filter(Boolean)
    .map((id) => {
      const dot = id.indexOf(".");
      const kind = id.slice(0, dot) === "params" ? "params" : "metrics";
      return { kind, key: id.slice(dot + 1) } as Column;
    });
}

export function useRunTableState(): [RunTableState, (change: Partial<RunTableState>) => void] {
  const [search, setSearch] = useSearchParams();
  const state = useMemo<RunTableState>(() => {
    const size = Number(search.get("size"));
    return {
      filter: search.get("filter") ?? "",
      order: search.get("order") ?? "",
      columns: parseColumns(search.get("cols")),
      size: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
      topLevelOnly: search.get("top") === "1",
    };
  }, [search]);
  const update = useCallback(
    (change: Partial<RunTableState>) => {
      const next = { ...state, ...change };
      const query: Record<string, string> = {};
      if (next.filter) query.filter = next.filter;
      if (next.order) query.order = next.order;
      if (next.columns) query.cols = next.columns.map(columnId).join(",");
      if (next.size !== 50) query.size = String(next.size);
      if (next.topLevelOnly) query.top = "1";
      setSearch(query, { replace: false });
    },
    [state, setSearch],
  );
  return [state, update];
}

/** An identifier for the filter/order_by grammar, quoting keys that are not plain words. */
export function filterIdentifier(kind: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${kind}.${key}` : `${kind}.\`${key}\``;
}

/** The filter sent to the server: the user's, plus "top-level runs only" when chosen. */
export function effectiveFilter(state: RunTableState): string {
  const parts = [state.filter.trim(), state.topLevelOnly ? 'tags."mlflow.parentRunId" IS NULL' : ""];
  const used = parts.filter(Boolean);
  if (used.length === 2) return `${used[0]} AND ${used[1]}`;
  return used[0] ?? "";
}

/** A quick local check of a filter (quotes and parentheses); the server checks the rest. */
export function checkFilter(text: string): string | undefined {
  let quote: string | undefined;
  let depth = 0;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === "`") quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth < 0) return "filter: a ')' without its '('";
  }
  if (quote) return `filter: the quote ${quote} is never closed`;
  if (depth > 0) return "filter: a '(' is never closed";
  return undefined;
}

/** The next order_by when a column header is clicked: DESC first, then ASC, then none. */
export function nextOrder(current: string, identifier: string): string {
  if (current === `${identifier} DESC`) return `${identifier} ASC`;
  if (current === `${identifier} ASC`) return "";
  return `${identifier} DESC`;
}
