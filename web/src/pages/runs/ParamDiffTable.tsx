// The params of the compared runs side by side (rows = params, columns = runs); rows whose
// values differ are highlighted, and a toggle shows only those.
import { useState } from "react";
import { Link } from "react-router-dom";
import { type Comparison, differs } from "./compareData";
import { runColor } from "./runColors";

export function ParamDiffTable({ comparison }: { comparison: Comparison }) {
  const [onlyDiffs, setOnlyDiffs] = useState(false);
  const rows = comparison.paramKeys.map((key) => ({ key, differs: differs(comparison.runs, key) }));
  const shown = onlyDiffs ? rows.filter((r) => r.differs) : rows;
  return (
    <section className="panel">
      <div className="toolbar">
        <h2 className="grow-title">Params</h2>
        <span className="muted">{rows.filter((r) => r.differs).length} of {rows.length} differ</span>
        <label>
          <input
            type="checkbox"
            data-testid="only-differences"
            checked={onlyDiffs}
            onChange={(e) => setOnlyDiffs(e.target.checked)}
          />{" "}
          Only differences
        </label>
      </div>
      <div className="table-scroll">
        <table className="data" data-testid="param-diff">
          <RunHeadRow comparison={comparison} first="Param" />
          <tbody>
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
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The header row naming each compared run (linking to its page), in its chart colour. */
export function RunHeadRow({ comparison, first }: { comparison: Comparison; first: string }) {
  return (
    <thead>
      <tr>
        <th>{first}</th>
        {comparison.runs.map((run, i) => (
          <th key={run.id} className="compare-run-head" title={run.id}>
            <Link to={`/runs/${run.id}`} style={{ color: runColor(i) }}>
              {run.label}
            </Link>
          </th>
        ))}
      </tr>
    </thead>
  );
}
