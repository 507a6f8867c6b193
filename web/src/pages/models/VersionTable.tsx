// A registered model's versions, newest first: aliases, metrics (recorded on the version and
// logged by its source run), the source package and run, and actions.
import { Link } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { packageDigest, type ModelVersion, type RegisteredModel } from "../../api/models";
import { getRun } from "../../api/runs";
import { DataTable, type Column } from "../../components/DataTable";
import { formatNumber, formatTime } from "../../components/format";
import { AliasChips } from "./AliasChips";

export function VersionTable({
  model,
  onDeploy,
  onSetAlias,
  onLineage,
}: {
  model: RegisteredModel;
  onDeploy: (ref: string) => void;
  onSetAlias: (version: string) => void;
  onLineage: (version: string) => void;
}) {
  const versions = [...(model.versions ?? [])].sort((a, b) => Number(b.version) - Number(a.version));
  const columns: Column<ModelVersion>[] = [
    { header: "Version", cell: (v) => `v${v.version}` },
    { header: "Aliases", cell: (v) => <AliasChips aliases={v.aliases ?? []} /> },
    { header: "Metrics", cell: (v) => <VersionMetrics version={v} /> },
    {
      header: "Source run",
      cell: (v) =>
        v.run_id ? (
          <Link to={`/runs/${v.run_id}`} data-testid="version-run-link">
            {v.run_id.slice(0, 12)}
          </Link>
        ) : (
          "—"
        ),
    },
    {
      header: "Package",
      cell: (v) => <span title={v.source}>{packageDigest(v.source)?.slice(0, 12) ?? v.source}</span>,
      className: "mono",
    },
    { header: "Created", cell: (v) => formatTime(v.creation_timestamp) },
    {
      header: "",
      className: "nowrap",
      cell: (v) => (
        <>
          <button onClick={() => onDeploy(`${model.name}/${v.version}`)} data-testid="deploy-version">
            Deploy
          </button>{" "}
          <button onClick={() => onSetAlias(v.version)} data-testid="alias-version-button">
            Alias…
          </button>{" "}
          <button className="link" onClick={() => onLineage(v.version)}>
            lineage
          </button>
        </>
      ),
    },
  ];
  return (
    <DataTable
      rows={versions}
      columns={columns}
      rowKey={(v) => v.version}
      testId="version-table"
      rowTestId="version-row"
      rowProps={(v) => ({ "data-version": v.version })}
    />
  );
}

/** `kiln.metric.*` tags of the version, then the latest metrics of its source run. */
function VersionMetrics({ version }: { version: ModelVersion }) {
  const run = useApi(
    () => (version.run_id ? getRun(version.run_id).catch(() => undefined) : Promise.resolve(undefined)),
    [version.run_id],
  );
  const metrics = new Map<string, string>();
  for (const t of version.tags ?? []) {
    if (t.key.startsWith("kiln.metric.")) metrics.set(t.key.slice(12), formatNumber(Number(t.value)));
  }
  for (const m of run.data?.data.metrics ?? []) {
    if (!metrics.has(m.key)) metrics.set(m.key, typeof m.value === "number" ? formatNumber(m.value) : m.value);
  }
  if (metrics.size === 0) return <span className="muted">{run.loading ? "…" : "—"}</span>;
  return (
    <div className="km-metrics" data-testid="version-metrics">
      {[...metrics].slice(0, 8).map(([k, v]) => (
        <span key={k}>
          <span className="muted">{k}</span> {v}
        </span>
      ))}
    </div>
  );
}
