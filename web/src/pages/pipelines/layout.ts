// A layered left-to-right layout of a DAG: a step's column is the length of the longest
// path reaching it; steps in a column are stacked, ordered by their parents' rows.

export interface LayoutEdge {
  from: string;
  to: string;
}

export const COLUMN_WIDTH = 340;
export const ROW_GAP = 40;

/** Positions for each node id; `heights` estimates each node's height in pixels. */
export function layeredLayout(
  ids: string[],
  edges: LayoutEdge[],
  heights: Record<string, number>,
): Record<string, { x: number; y: number }> {
  const rank = ranks(ids, edges);
  const columns: string[][] = [];
  for (const id of ids) (columns[rank[id]] ??= []).push(id);
  const row: Record<string, number> = {};
  const out: Record<string, { x: number; y: number }> = {};
  columns.forEach((column, c) => {
    const parentRow = (id: string) => {
      const parents = edges.filter((e) => e.to === id && row[e.from] !== undefined).map((e) => row[e.from]);
      return parents.length ? parents.reduce((a, b) => a + b, 0) / parents.length : 0;
    };
    column.sort((a, b) => parentRow(a) - parentRow(b));
    let y = 0;
    column.forEach((id, r) => {
      row[id] = r;
      out[id] = { x: c * COLUMN_WIDTH, y };
      y += (heights[id] ?? 100) + ROW_GAP;
    });
  });
  return out;
}

function ranks(ids: string[], edges: LayoutEdge[]): Record<string, number> {
  const rank: Record<string, number> = {};
  const known = new Set(ids);
  const parents = (id: string) => edges.filter((e) => e.to === id && known.has(e.from)).map((e) => e.from);
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    if (rank[id] !== undefined) return rank[id];
    if (visiting.has(id)) return 0; // a cycle: the server refuses it; draw something anyway
    visiting.add(id);
    const r = Math.max(-1, ...parents(id).map(visit)) + 1;
    visiting.delete(id);
    rank[id] = r;
    return r;
  };
  ids.forEach(visit);
  return rank;
}
