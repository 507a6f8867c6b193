// Shows one stored file, a run artifact or a pipeline step's output alike: images inline (from
// an object URL of the fetched bytes, so the blob route's octet-stream works too), text (the
// first 200 KB, pretty-printed when JSON), CSV/TSV and Kiln tables as the first 100 rows;
// anything else gets just its download link.
import { useApi } from "../../api/useApi";
import { ErrorBanner, Loading } from "../../components/Status";
import { formatBytes } from "../../components/format";
import { formatJson, previewKind, readPrefix } from "../../components/storedFiles";
import { StoredImage } from "../../components/StoredImage";
import { CsvPreview, KilnTablePreview } from "./TablePreviews";

/** A file to preview: where its bytes are, what to call it, and how to save it. */
export interface PreviewFile {
  /** Shown as the title; its extension decides the kind of preview. */
  path: string;
  url: string;
  size?: number;
  /** The file name a download is saved under. */
  downloadName: string;
  /** Set for a stored Kiln table (.ktab): previewed through the tables route. */
  tableDigest?: string;
}

export function ArtifactPreview({ file }: { file: PreviewFile }) {
  const kind = file.tableDigest ? "kiln-table" : previewKind(file.path);
  return (
    <div className="preview" data-testid="artifact-preview" data-path={file.path}>
      <div className="toolbar">
        <b className="mono preview-title">{file.path}</b>
        <span className="muted">{formatBytes(file.size)}</span>
        <span className="spacer" />
        <a className="button" href={file.url} download={file.downloadName} data-testid="artifact-download">
          Download
        </a>
      </div>
      {kind === "image" && <StoredImage url={file.url} path={file.path} testId="artifact-image" />}
      {kind === "text" && <TextPreview url={file.url} path={file.path} />}
      {kind === "table" && (
        <CsvPreview url={file.url} delimiter={file.path.toLowerCase().endsWith(".tsv") ? "\t" : ","} />
      )}
      {kind === "kiln-table" && file.tableDigest && <KilnTablePreview digest={file.tableDigest} />}
      {kind === "none" && <p className="muted">No preview for this kind of file; download it.</p>}
    </div>
  );
}

function TextPreview({ url, path }: { url: string; path: string }) {
  const loaded = useApi(() => readPrefix(url), [url]);
  if (loaded.error) return <ErrorBanner error={loaded.error} />;
  if (!loaded.data) return <Loading what="the file" />;
  const { text, truncated } = loaded.data;
  if (text.includes("\u0000")) return <p className="muted">A binary file; download it.</p>;
  return (
    <>
      {truncated && <p className="muted">Showing the first 200 KB.</p>}
      <pre data-testid="artifact-text">{prettyJson(path, text, truncated) || "(empty file)"}</pre>
    </>
  );
}

/** JSON (a .json file, or a file without extension whose text is JSON) indented; else as is. */
function prettyJson(path: string, text: string, truncated: boolean): string {
  const start = text.trimStart()[0];
  const looksJson = path.toLowerCase().endsWith(".json") || start === "{" || start === "[";
  if (truncated || !looksJson) return text;
  try {
    return formatJson(JSON.parse(text));
  } catch {
    return text;
  }
}
