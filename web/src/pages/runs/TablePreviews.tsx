// Table previews: a CSV/TSV file's first 100 rows (parsed from the start of the file) and a
// stored Kiln table's first 100 rows with its total row count (GET /api/v1/tables/{digest}).
import type { ReactNode } from "react";
import { getTable } from "../../api/blobs";
import { useApi } from "../../api/useApi";
import { DataTable } from "../../components/DataTable";
import { ErrorBanner, Loading } from "../../components/Status";
import { formatNumber } from "../../components/format";
import { parseDelimited, readPrefix } from "../../components/storedFiles";

const TABLE_ROWS = 100;

export function CsvPreview({ url, delimiter }: { url: string; delimiter: string }) {
  const loaded = useApi(() => readPrefix(url), [url]);
  if (loaded.error) return <ErrorBanner error={loaded.error} />;
  if (!loaded.data) return <Loading what="the table" />;
  const [head = [], ...rows] = parseDelimited(loaded.data.text, delimiter, TABLE_ROWS + 1);
  return <PreviewTable head={head} rows={rows} note={`The first ${rows.length} rows.`} />;
}

export function KilnTablePreview({ digest }: { digest: string }) {
  const loaded = useApi(() => getTable(digest, TABLE_ROWS), [digest]);
  if (loaded.error) return <ErrorBanner error={loaded.error} />;
  if (!loaded.data) return <Loading what="the table" />;
  const { row_count, columns, rows } = loaded.data;
  const note = (
    <span data-testid="artifact-table-count" data-row-count={row_count}>
      {row_count} rows{rows.length < row_count ? `; the first ${rows.length} shown` : ""} · {columns.length} columns
    </span>
  );
  const head = columns.map((c) => (
    <span key={c.name} title={c.type}>
      {c.name} <span className="col-kind">{c.type}</span>
    </span>
  ));
  return <PreviewTable head={head} rows={rows.map((r) => r.map(cellText))} note={note} />;
}

/** A cell as text: floats to 6 significant digits, a missing cell as an empty cell. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return formatNumber(value, 6);
  return String(value);
}

function PreviewTable({ head, rows, note }: { head: ReactNode[]; rows: string[][]; note: ReactNode }) {
  const columns = head.map((header, c) => ({ header, cell: (row: string[]) => row[c] }));
  return (
    <>
      <p className="muted">{note}</p>
      <div className="table-scroll">
        <DataTable rows={rows} columns={columns} rowKey={(_, r) => r} testId="artifact-table" />
      </div>
    </>
  );
}
