// The published module library: name, latest version, description, with a search box.
import { useState } from "react";
import { Link } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { listModules } from "../../api/modules";
import { Empty, ErrorBanner, Loading } from "../../components/Status";

export function ModuleList() {
  const list = useApi(listModules, []);
  const [search, setSearch] = useState("");
  const needle = search.trim().toLowerCase();
  const shown = (list.data ?? []).filter(
    (m) => !needle || m.name.toLowerCase().includes(needle) || m.description.toLowerCase().includes(needle),
  );
  return (
    <div>
      <h1>Modules</h1>
      <div className="toolbar">
        <input placeholder="Search name or description" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="module-search" />
        <span className="muted">{list.data ? `${shown.length} of ${list.data.length}` : ""}</span>
      </div>
      <ErrorBanner error={list.error} />
      {!list.data && list.loading && <Loading what="modules" />}
      {list.data && shown.length === 0 && (
        <Empty>{list.data.length ? "No module matches." : <>No published modules yet: <code>kiln module publish DIR</code>.</>}</Empty>
      )}
      {shown.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th>Name</th>
              <th>Latest version</th>
              <th>Versions</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((m) => (
              <tr key={m.name} data-testid="module-row">
                <td>
                  <Link to={`/modules/${m.name.split("/").map(encodeURIComponent).join("/")}`}>{m.name}</Link>
                </td>
                <td>{m.latest_version}</td>
                <td className="muted">{m.versions.length}</td>
                <td>{m.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
