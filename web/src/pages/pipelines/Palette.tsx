// The module library as a palette: a search box and one entry per module, draggable onto
// the canvas (HTML5 drag and drop), with an "add" button for keyboard users.
import { useMemo, useState } from "react";
import { listModules } from "../../api/modules";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBanner, Loading } from "../../components/Status";

export const MODULE_DRAG_TYPE = "application/x-kiln-module";

export function Palette({ onAdd }: { onAdd: (module: string) => void }) {
  const modules = useApi(listModules, []);
  const [query, setQuery] = useState("");
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (modules.data ?? []).filter(
      (m) => !q || m.name.toLowerCase().includes(q) || m.description.toLowerCase().includes(q),
    );
  }, [modules.data, query]);
  return (
    <div className="panel palette" data-testid="palette">
      <h3 style={{ marginTop: 0 }}>Modules</h3>
      <input
        type="search"
        placeholder="search modules"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        style={{ width: "100%", marginBottom: "0.5rem" }}
        data-testid="palette-search"
        aria-label="search modules"
      />
      <ErrorBanner error={modules.error} />
      {!modules.data && !modules.error && <Loading what="modules" />}
      {modules.data && shown.length === 0 && <Empty>No module matches.</Empty>}
      {shown.map((m) => (
        <div
          key={m.name}
          className="palette-item"
          draggable
          data-testid={`palette-${m.name}`}
          title={m.description}
          onDragStart={(e) => {
            e.dataTransfer.setData(MODULE_DRAG_TYPE, m.name);
            e.dataTransfer.effectAllowed = "copy";
          }}
        >
          <div>
            <div className="mono">{m.name}</div>
            <div className="desc">{m.latest_version}</div>
          </div>
          <button
            className="link"
            onClick={() => onAdd(m.name)}
            aria-label={`add ${m.name}`}
            data-testid={`add-${m.name}`}
          >
            + add
          </button>
        </div>
      ))}
    </div>
  );
}
