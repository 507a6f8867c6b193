// One module version: description, params (type, default, range or values, required, help),
// inputs and outputs with their types, how it runs, its files and the manifest YAML. The
// module name is the rest of the path (it may hold '/'), the version `?version=`.
import { useParams, useSearchParams } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { getModule, type ModuleManifest, type ModuleParam, type ModulePort } from "../../api/modules";
import { ErrorBanner, Loading } from "../../components/Status";
import { formatBytes, formatTime } from "../../components/format";

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
          <select value={m.version} onChange={(e) => setQuery({ version: e.target.value })} data-testid="module-version">
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
          <Files module={m} />
        </div>
        <div className="panel">
          <h2>module.yaml</h2>
          <pre data-testid="module-yaml">{m.manifest_yaml}</pre>
        </div>
      </div>
    </>
  );
}

const show = (v: unknown) => (v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v));

function range(p: ModuleParam): string {
  if (p.values?.length) return p.values.join(" | ");
  if (p.min === undefined && p.max === undefined) return "";
  return `${p.min ?? "−∞"} … ${p.max ?? "∞"}`;
}

function ParamsTable({ params }: { params: ModuleParam[] }) {
  if (params.length === 0) return <p className="muted">No params.</p>;
  return (
    <table className="data" data-testid="module-params">
      <thead>
        <tr>
          <th>Name</th>
          <th>Type</th>
          <th>Default</th>
          <th>Range / values</th>
          <th>Required</th>
          <th>Help</th>
        </tr>
      </thead>
      <tbody>
        {params.map((p) => (
          <tr key={p.name} data-testid="module-param">
            <td className="mono">{p.name}</td>
            <td>{p.type === "list" && p.items ? `list of ${p.items}` : p.type}</td>
            <td className="mono">{show(p.default)}</td>
            <td className="mono">{range(p)}</td>
            <td>{p.required ? "yes" : ""}</td>
            <td>{p.help}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PortTable({ ports, testId }: { ports: ModulePort[]; testId: string }) {
  if (ports.length === 0) return <p className="muted">None.</p>;
  return (
    <table className="data" data-testid={testId}>
      <tbody>
        {ports.map((p) => (
          <tr key={p.name}>
            <td className="mono">{p.name}</td>
            <td>
              <span className="badge">{p.type}</span>
              {p.optional && <span className="muted"> optional</span>}
            </td>
            <td>{p.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
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

function Files({ module: m }: { module: ModuleManifest }) {
  return (
    <table className="data">
      <tbody>
        {m.files.map((f) => (
          <tr key={f.path}>
            <td className="mono">{f.path}</td>
            <td className="num">{formatBytes(f.size)}</td>
            <td className="mono">{f.digest.slice(0, 12)}</td>
            <td>{f.executable ? "executable" : ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
