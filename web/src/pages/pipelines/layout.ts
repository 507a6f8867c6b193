// A layered left-to-right layout of a DAG: a step's column is the length of the longest
// path reaching it; steps in a column are stacked, ordered by their parents' rows. A long
// pipeline in a narrow canvas wraps its columns into bands, one under the other, so the
// whole DAG fits the canvas at a size that can still be read (fitting seven columns into a
// laptop's editor otherwise shrinks the text to a few pixels).

export interface LayoutEdge {
  from: string;
  to: string;
}

/** The canvas the DAG is shown in, in screen pixels. */
export interface Frame {
  width: number;
  height: number;
}

export const COLUMN_WIDTH = 310;
export const ROW_GAP = 40;
export const BAND_GAP = 80;
/** A step node's usual width, for judging what fits (the canvas measures the real ones). */
export const NODE_WIDTH = 260;
/** The zoom at which node text reads well: fewer bands are kept while they reach it. */
export const READABLE_ZOOM = 0.75;
/** The room left around the DAG when it is fitted, as a fraction of its size (per side). */
export const FIT_PADDING = 0.08;

type Positions = Record<string, { x: number; y: number }>;

interface Columns {
  columns: string[][]; // ids per column, top to bottom
  y: Record<string, number>; // each node's offset inside its column
  heights: number[]; // each column's height
}

function layerColumns(ids: string[], edges: LayoutEdge[], heights: Record<string, number>): Columns {
  const rank = ranks(ids, edges);
  const columns: string[][] = [];
  for (const id of ids) (columns[rank[id]] ??= []).push(id);
  const parentsOf = new Map<string, string[]>();
  for (const e of edges) parentsOf.set(e.to, [...(parentsOf.get(e.to) ?? []), e.from]);
  const row: Record<string, number> = {};
  const y: Record<string, number> = {};
  const columnHeights: number[] = [];
  columns.forEach((column) => {
    const parentRow = (id: string) => {
      const rows = (parentsOf.get(id) ?? []).filter((p) => row[p] !== undefined).map((p) => row[p]);
      return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : 0;
    };
    column.sort((a, b) => parentRow(a) - parentRow(b));
    let offset = 0;
    column.forEach((id, r) => {
      row[id] = r;
      y[id] = offset;
      offset += (heights[id] ?? 100) + ROW_GAP;
    });
    columnHeights.push(Math.max(0, offset - ROW_GAP));
  });
  return { columns, y, heights: columnHeights };
}

/** The size of the DAG with `perBand` columns in each band. */
function bandedSize(c: Columns, perBand: number): Frame {
  const count = c.columns.length;
  let height = 0;
  for (let start = 0; start < count; start += perBand) {
    height += (start ? BAND_GAP : 0) + Math.max(...c.heights.slice(start, start + perBand));
  }
  return { width: (Math.min(perBand, count) - 1) * COLUMN_WIDTH + NODE_WIDTH, height };
}

/** The zoom at which a DAG of `size` fits `frame` with the fit's padding (at most 1). */
export function fitZoom(size: Frame, frame: Frame): number {
  const pad = 1 + 2 * FIT_PADDING;
  return Math.min(1, frame.width / (size.width * pad), frame.height / (size.height * pad));
}

/**
 * How many columns each band holds: all of them when the DAG is readable in one band (or
 * no frame is known), else the fewest bands that reach READABLE_ZOOM, else the banding that
 * fits largest.
 */
function columnsPerBand(c: Columns, frame?: Frame): number {
  const count = c.columns.length;
  if (!frame || frame.width <= 0 || frame.height <= 0 || count <= 1) return Math.max(1, count);
  let best = count;
  let bestZoom = -1;
  for (let bands = 1; bands <= count; bands++) {
    const perBand = Math.ceil(count / bands);
    if (bands > 1 && perBand === Math.ceil(count / (bands - 1))) continue; // the same banding
    const zoom = fitZoom(bandedSize(c, perBand), frame);
    if (zoom >= READABLE_ZOOM) return perBand;
    if (zoom > bestZoom + 1e-9) {
      best = perBand;
      bestZoom = zoom;
    }
  }
  return best;
}

/**
 * Positions for each node id; `heights` estimates each node's height in pixels; `frame`,
 * when known, is the canvas the DAG is to fit (long DAGs then wrap into bands).
 */
export function layeredLayout(
  ids: string[],
  edges: LayoutEdge[],
  heights: Record<string, number>,
  frame?: Frame,
): Positions {
  const c = layerColumns(ids, edges, heights);
  const perBand = columnsPerBand(c, frame);
  const out: Positions = {};
  let bandTop = 0;
  for (let start = 0; start < c.columns.length; start += perBand) {
    const band = c.columns.slice(start, start + perBand);
    band.forEach((column, i) => {
      for (const id of column) out[id] = { x: i * COLUMN_WIDTH, y: bandTop + c.y[id] };
    });
    bandTop += Math.max(...c.heights.slice(start, start + perBand)) + BAND_GAP;
  }
  return out;
}

function ranks(ids: string[], edges: LayoutEdge[]): Record<string, number> {
  const rank: Record<string, number> = {};
  const known = new Set(ids);
  const parentsOf = new Map<string, string[]>();
  for (const e of edges) if (known.has(e.from)) parentsOf.set(e.to, [...(parentsOf.get(e.to) ?? []), e.from]);
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    if (rank[id] !== undefined) return rank[id];
    if (visiting.has(id)) return 0; // a cycle: the server refuses it; draw something anyway
    visiting.add(id);
    const r = Math.max(-1, ...(parentsOf.get(id) ?? []).map(visit)) + 1;
    visiting.delete(id);
    rank[id] = r;
    return r;
  };
  ids.forEach(visit);
  return rank;
}
