// One dataset: its versions (kind, files, size, digest, source), the step runs that read each
// version (from lineage), and the files of a folder version.
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { getDatasetVersion, listDatasetVersions, type DatasetVersion } from "../../api/datasets";
import { getLineage } from "../../api/models";
import { getRun } from "../../api/runs";
import { ErrorBanner, Loading } from "../../components/Status";
import { DataTable, type Column } from "../../components/DataTable";
import { FileTable } from "../../components/FileTable";
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
        <DataTable
          rows={versions.data}
          columns={versionColumns(open, (v) => setOpen(open === v ? undefined : v))}
          rowKey={(v) => v.version}
          testId="dataset-versions"
          rowTestId="dataset-version-row"
        />
      )}
      {open !== undefined && <FolderFiles name={name} version={open} />}
    </div>
  );
}

function versionColumns(open: number | undefined, onToggle: (version: number) => void): Column<DatasetVersion>[] {
  return [
    { header: "Version", cell: (v) => `v${v.version}` },
    { header: "Kind", cell: (v) => v.kind },
    {
      header: "Files",
      num: true,
      cell: (v) =>
        v.kind === "folder" ? (
          <button className="link" onClick={() => onToggle(v.version)} data-testid="show-files">
            {v.file_count} {open === v.version ? "▾" : "▸"}
          </button>
        ) : (
          v.file_count
        ),
    },
    { header: "Size", cell: (v) => formatBytes(v.size_bytes), num: true },
    { header: "SHA-256", cell: (v) => <span title={v.digest}>{v.digest.slice(0, 12)}</span>, className: "mono" },
    { header: "Created", cell: (v) => formatTime(v.created_ms) },
    { header: "Source", cell: (v) => v.source || "—", className: "mono" },
    { header: "Used by runs", cell: (v) => <UsedBy id={`${v.name}@${v.version}`} /> },
  ];
}

/** The step runs that read `NAME@VERSION`, by run name. */
function UsedBy({ id }: { id: string }) {
  const runs = useApi(async () => {
    const edges = await getLineage("dataset", id);
    const ids = [
      ...new Set(edges.filter((e) => e.src_kind === "dataset" && e.dst_kind === "step_run").map((e) => e.dst_id)),
    ];
    return Promise.all(
      ids.slice(0, 20).map((runId) =>
        getRun(runId).then(
          (r) => ({ runId, name: r.info.run_name }),
          () => ({ runId, name: runId.slice(0, 8) }),
        ),
      ),
    );
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
      {detail.data?.files && <FileTable files={detail.data.files} testId="dataset-files" />}
    </div>
  );
}
