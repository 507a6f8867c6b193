// One module version: description, params (type, default, range or values, required, help),
// inputs and outputs with their types, how it runs, its files and the manifest YAML. The
// module name is the rest of the path (it may hold '/'), the version `?version=`.
import { useParams, useSearchParams } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { getModule, type ModuleManifest, type ModuleParam, type ModulePort } from "../../api/modules";
import { ErrorBanner, Loading } from "../../components/Status";
import { DataTable, type Column } from "../../components/DataTable";
import { FileTable } from "../../components/FileTable";
import { formatTime, formatValue } from "../../components/format";

export function ModuleView() {
  const name = useParams()["*"] ?? "";
  const [query, setQuery] = useSearchParams();
  const version = query.get("version") ?? undefined;
  const module = useApi(() => getModule(name, version), [name, version]);
  const m = module.data;
  return (
    <div>
      <div className="toolbar">
        <h1 style={{ margin: 0 }} data-testid="module-title">
          {name}
        </h1>
        {m && (
          <select
            value={m.version}
            onChange={(e) => setQuery({ version: e.target.value })}
            data-testid="module-version"
          >
            {[...m.versions].reverse().map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        )}
      </div>
      <ErrorBanner error={module.error} />
      {!m && module.loading && <Loading what="module" />}
      {m && <ModuleBody module={m} />}
    </div>
  );
}

function ModuleBody({ module: m }: { module: ModuleManifest }) {
  return (
    <>
      <p>{m.description}</p>
      <div className="panel">
        <h2>Params</h2>
        <ParamsTable params={m.params} />
      </div>
      <div className="grid2">
        <div className="panel">
          <h2>Inputs</h2>
          <PortTable ports={m.inputs} testId="module-inputs" />
        </div>
        <div className="panel">
          <h2>Outputs</h2>
          <PortTable ports={m.outputs} testId="module-outputs" />
        </div>
      </div>
      <div className="grid2">
        <div className="panel">
          <h2>Runner</h2>
          <Runner module={m} />
          <h2>Files</h2>
          <FileTable files={m.files} testId="module-files" />
        </div>
        <div className="panel">
          <h2>module.yaml</h2>
          <pre data-testid="module-yaml">{m.manifest_yaml}</pre>
        </div>
      </div>
    </>
  );
}

function range(p: ModuleParam): string {
  if (p.values?.length) return p.values.join(" | ");
  if (p.min === undefined && p.max === undefined) return "";
  return `${p.min ?? "−∞"} … ${p.max ?? "∞"}`;
}

const paramColumns: Column<ModuleParam>[] = [
  { header: "Name", cell: (p) => p.name, className: "mono" },
  { header: "Type", cell: (p) => (p.type === "list" && p.items ? `list of ${p.items}` : p.type) },
  { header: "Default", cell: (p) => formatValue(p.default), className: "mono" },
  { header: "Range / values", cell: range, className: "mono" },
  { header: "Required", cell: (p) => (p.required ? "yes" : "") },
  { header: "Help", cell: (p) => p.help },
];

function ParamsTable({ params }: { params: ModuleParam[] }) {
  if (params.length === 0) return <p className="muted">No params.</p>;
  return (
    <DataTable
      rows={params}
      columns={paramColumns}
      rowKey={(p) => p.name}
      testId="module-params"
      rowTestId="module-param"
    />
  );
}

const portColumns: Column<ModulePort>[] = [
  { cell: (p) => p.name, className: "mono" },
  {
    cell: (p) => (
      <>
        <span className="badge">{p.type}</span>
        {p.optional && <span className="muted"> optional</span>}
      </>
    ),
  },
  { cell: (p) => p.description },
];

function PortTable({ ports, testId }: { ports: ModulePort[]; testId: string }) {
  if (ports.length === 0) return <p className="muted">None.</p>;
  return <DataTable rows={ports} columns={portColumns} rowKey={(p) => p.name} testId={testId} />;
}

function Runner({ module: m }: { module: ModuleManifest }) {
  return (
    <dl className="kv">
      <dt>kind</dt>
      <dd>{m.runner.kind}</dd>
      {m.runner.builtin && (
        <>
          <dt>builtin</dt>
          <dd className="mono">{m.runner.builtin}</dd>
        </>
      )}
      {m.runner.command && (
        <>
          <dt>command</dt>
          <dd className="mono">{m.runner.command.join(" ")}</dd>
        </>
      )}
      {Object.entries(m.runner.env ?? {}).map(([k, v]) => (
        <div key={k} style={{ display: "contents" }}>
          <dt className="mono">{k}</dt>
          <dd className="mono">{v}</dd>
        </div>
      ))}
      <dt>published</dt>
      <dd>{formatTime(m.created_ms)}</dd>
      <dt>files digest</dt>
      <dd className="mono">{m.files_digest.slice(0, 16)}</dd>
    </dl>
  );
}
