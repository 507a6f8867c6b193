// Shows one artifact: images inline, text (the first 200 KB), CSV/TSV as a table of the
// first 100 rows; anything else gets just its download link.
import { useApi } from "../../api/useApi";
import { ErrorBanner, Loading } from "../../components/Status";
import { formatBytes } from "../../components/format";
import { parseDelimited, previewKind, readPrefix } from "./artifactText";

const TABLE_ROWS = 100;

export function ArtifactPreview({ path, url, size }: { path: string; url: string; size?: number }) {
  const kind = previewKind(path);
  return (
    <div className="preview" data-testid="artifact-preview">
      <div className="toolbar">
        <b className="mono">{path}</b>
        <span className="muted">{formatBytes(size)}</span>
        <span className="spacer" />
        <a className="button" href={url} download data-testid="artifact-download">
          Download
        </a>
      </div>
      {kind === "image" && <img src={url} alt={path} data-testid="artifact-image" />}
      {kind === "text" && <TextPreview url={url} path={path} />}
      {kind === "table" && <TablePreview url={url} delimiter={path.toLowerCase().endsWith(".tsv") ? "\t" : ","} />}
      {kind === "none" && <p className="muted">No preview for this kind of file; download it.</p>}
    </div>
  );
}

function TextPreview({ url, path }: { url: string; path: string }) {
  const loaded = useApi(() => readPrefix(url), [url]);
  if (loaded.error) return <ErrorBanner error={loaded.error} />;
  if (!loaded.data) return <Loading what="the file" />;
  const { text, truncated } = loaded.data;
  return (
    <>
      {truncated && <p className="muted">Showing the first 200 KB.</p>}
      <pre data-testid="artifact-text">{prettyJson(path, text, truncated) || "(empty file)"}</pre>
    </>
  );
}

function prettyJson(path: string, text: string, truncated: boolean): string {
  if (truncated || !path.toLowerCase().endsWith(".json")) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function TablePreview({ url, delimiter }: { url: string; delimiter: string }) {
  const loaded = useApi(() => readPrefix(url), [url]);
  if (loaded.error) return <ErrorBanner error={loaded.error} />;
  if (!loaded.data) return <Loading what="the table" />;
  const [head = [], ...rows] = parseDelimited(loaded.data.text, delimiter, TABLE_ROWS + 1);
  return (
    <>
      <p className="muted">The first {rows.length} rows.</p>
      <div className="table-scroll">
        <table className="data" data-testid="artifact-table">
          <thead>
            <tr>
              {head.map((h, i) => (
                <th key={i}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) => (
                  <td key={c}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
