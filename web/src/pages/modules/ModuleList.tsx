// The published module library: name, latest version, description, with a search box.
import { useState } from "react";
import { Link } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { listModules, type ModuleSummary } from "../../api/modules";
import { DataTable, type Column } from "../../components/DataTable";
import { Empty, ErrorBanner, Loading } from "../../components/Status";

const columns: Column<ModuleSummary>[] = [
  {
    header: "Name",
    cell: (m) => <Link to={`/modules/${m.name.split("/").map(encodeURIComponent).join("/")}`}>{m.name}</Link>,
  },
  { header: "Latest version", cell: (m) => m.latest_version },
  { header: "Versions", cell: (m) => m.versions.length, className: "muted" },
  { header: "Description", cell: (m) => m.description },
];

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
        <input
          placeholder="Search name or description"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="module-search"
        />
        <span className="muted">{list.data ? `${shown.length} of ${list.data.length}` : ""}</span>
      </div>
      <ErrorBanner error={list.error} />
      {!list.data && list.loading && <Loading what="modules" />}
      {list.data && shown.length === 0 && (
        <Empty>
          {list.data.length ? (
            "No module matches."
          ) : (
            <>
              No published modules yet: <code>kiln module publish DIR</code>.
            </>
          )}
        </Empty>
      )}
      {shown.length > 0 && <DataTable rows={shown} columns={columns} rowKey={(m) => m.name} rowTestId="module-row" />}
    </div>
  );
}
