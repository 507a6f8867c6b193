// Formatting helpers shared by pages.

export function formatTime(ms: number | undefined | null): string {
  if (!ms) return "—";
  return new Date(ms).toLocaleString();
}

export function formatDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export function formatBytes(n: number | undefined | null): string {
  if (n === undefined || n === null) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatNumber(v: number | undefined | null, digits = 4): string {
  if (v === undefined || v === null || Number.isNaN(v)) return "—";
  if (Number.isInteger(v)) return String(v);
  return Number(v.toPrecision(digits)).toString();
}

/** A param value or default as text: strings as they are, other values as JSON, none as "". */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * A formatter for the numbers of one axis or legend running from `min` to `max`: as many
 * decimals as it takes for values a tenth of the range apart to read differently (0.812 and
 * 0.848, not 1 and 1), and no more; the same decimals for every label. Huge or tiny
 * magnitudes use significant digits with an exponent instead.
 */
export function rangeFormatter(min: number, max: number): (v: number) => string {
  const span = Math.abs(max - min);
  if (!Number.isFinite(span) || span === 0) return (v) => formatNumber(v, 4);
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  if (magnitude >= 1e15 || magnitude < 1e-6) {
    const digits = Math.min(15, Math.max(2, Math.ceil(Math.log10(magnitude / span)) + 2));
    return (v) => (Number.isFinite(v) ? v.toExponential(digits - 1) : formatNumber(v));
  }
  // (less a hair, so a span of 0.001 computed as 0.000999... keeps 4 decimals, not 5)
  const decimals = Math.min(15, Math.max(0, Math.ceil(-Math.log10(span / 10) - 1e-9)));
  return (v) => {
    if (!Number.isFinite(v)) return formatNumber(v);
    const text = v.toFixed(decimals);
    return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
  };
}
