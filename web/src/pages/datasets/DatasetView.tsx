// One dataset: its versions (kind, files, size, digest, source), the step runs that read each
// version (from lineage), and the files of a folder version.
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { getDatasetVersion, listDatasetVersions, type DatasetVersion } from "../../api/datasets";
import { getLineage } from "../../api/models";
import { getRun } from "../../api/runs";
import { ErrorBanner, Loading } from "../../components/Status";
import { formatBytes, formatTime } from "../../components/format";

export function DatasetView() {
  const name = useParams().name ?? "";
  const versions = useApi(() => listDatasetVersions(name), [name]);
  const [open, setOpen] = useState<number>();
  return (
    <div>
      <h1 data-testid="dataset-title">{name}</h1>
      <ErrorBanner error={versions.error} />
      {!versions.data && versions.loading && <Loading what="versions" />}
      {versions.data && (
        <table className="data" data-testid="dataset-versions">
          <thead>
            <tr>
              <th>Version</th>
              <th>Kind</th>
              <th className="num">Files</th>
              <th className="num">Size</th>
              <th>SHA-256</th>
              <th>Created</th>
              <th>Source</th>
              <th>Used by runs</th>
            </tr>
          </thead>
          <tbody>
            {versions.data.map((v) => (
              <VersionRow key={v.version} version={v} open={open === v.version} onToggle={() => setOpen(open === v.version ? undefined : v.version)} />
            ))}
          </tbody>
        </table>
      )}
      {open !== undefined && <FolderFiles name={name} version={open} />}
    </div>
  );
}

function VersionRow({ version: v, open, onToggle }: { version: DatasetVersion; open: boolean; onToggle: () => void }) {
  return (
    <tr data-testid="dataset-version-row">
      <td>v{v.version}</td>
      <td>{v.kind}</td>
      <td className="num">
        {v.kind === "folder" ? (
          <button className="link" onClick={onToggle} data-testid="show-files">
            {v.file_count} {open ? "▾" : "▸"}
          </button>
        ) : (
          v.file_count
        )}
      </td>
      <td className="num">{formatBytes(v.size_bytes)}</td>
      <td className="mono" title={v.digest}>
        {v.digest.slice(0, 12)}
      </td>
      <td>{formatTime(v.created_ms)}</td>
      <td className="mono">{v.source || "—"}</td>
      <td>
        <UsedBy id={`${v.name}@${v.version}`} />
      </td>
    </tr>
  );
}

/** The step runs that read `NAME@VERSION`, by run name. */
function UsedBy({ id }: { id: string }) {
  const runs = useApi(async () => {
    const edges = await getLineage("dataset", id);
    const ids = [...new Set(edges.filter((e) => e.src_kind === "dataset" && e.dst_kind === "step_run").map((e) => e.dst_id))];
    return Promise.all(ids.slice(0, 20).map((runId) => getRun(runId).then((r) => ({ runId, name: r.info.run_name }), () => ({ runId, name: runId.slice(0, 8) }))));
  }, [id]);
  if (runs.error) return <span className="field-error">{runs.error.message}</span>;
  if (!runs.data) return <span className="muted">…</span>;
  if (runs.data.length === 0) return <span className="muted">none yet</span>;
  return (
    <span data-testid="dataset-used-by">
      {runs.data.map((r) => (
        <Link key={r.runId} to={`/runs/${r.runId}`} style={{ marginRight: "0.6rem" }} data-testid="dataset-run-link">
          {r.name} <span className="muted mono">{r.runId.slice(0, 6)}</span>
        </Link>
      ))}
    </span>
  );
}

function FolderFiles({ name, version }: { name: string; version: number }) {
  const detail = useApi(() => getDatasetVersion(name, version), [name, version]);
  return (
    <div className="panel" style={{ marginTop: "1rem" }}>
      <h2>Files of v{version}</h2>
      <ErrorBanner error={detail.error} />
      {detail.data?.files && (
        <table className="data" data-testid="dataset-files">
          <thead>
            <tr>
              <th>Path</th>
              <th className="num">Size</th>
              <th>SHA-256</th>
              <th>Executable</th>
            </tr>
          </thead>
          <tbody>
            {detail.data.files.map((f) => (
              <tr key={f.path}>
                <td className="mono">{f.path}</td>
                <td className="num">{formatBytes(f.size)}</td>
                <td className="mono">{f.digest.slice(0, 12)}</td>
                <td>{f.executable ? "yes" : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
