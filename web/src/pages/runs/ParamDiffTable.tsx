// The params of the compared runs side by side (rows = params, columns = runs); rows whose
// values differ are highlighted, and a toggle shows only those.
import { useState } from "react";
import { type Comparison, differs } from "./compareData";
import { RunGrid } from "./RunGrid";
import { Toggle } from "../../components/Toggle";

export function ParamDiffTable({ comparison }: { comparison: Comparison }) {
  const [onlyDiffs, setOnlyDiffs] = useState(false);
  const rows = comparison.paramKeys.map((key) => ({ key, differs: differs(comparison.runs, key) }));
  const shown = onlyDiffs ? rows.filter((r) => r.differs) : rows;
  return (
    <section className="panel">
      <div className="toolbar">
        <h2 className="grow-title">Params</h2>
        <span className="muted">
          {rows.filter((r) => r.differs).length} of {rows.length} differ
        </span>
        <Toggle checked={onlyDiffs} onChange={setOnlyDiffs} testId="only-differences">
          Only differences
        </Toggle>
      </div>
      <RunGrid comparison={comparison} first="Param" testId="param-diff">
        {shown.map((row) => (
          <tr
            key={row.key}
            className={row.differs ? "diff-row" : ""}
            data-testid="param-diff-row"
            data-param={row.key}
            data-differs={row.differs}
          >
            <td className="mono">{row.key}</td>
            {comparison.runs.map((run) => (
              <td key={run.id} className="mono">
                {run.params.get(row.key) ?? <span className="muted">—</span>}
              </td>
            ))}
          </tr>
        ))}
      </RunGrid>
    </section>
  );
}
