// The grid both comparison tables use: one row per param or metric, one column per compared
// run, under a header row naming each run (linking to its page) in its chart colour.
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import type { Comparison } from "./compareData";
import { runColor } from "./runColors";

interface Props {
  comparison: Comparison;
  /** The first column's heading ("Param", "Metric"). */
  first: string;
  testId: string;
  children: ReactNode;
}

export function RunGrid({ comparison, first, testId, children }: Props) {
  return (
    <div className="table-scroll">
      <table className="data" data-testid={testId}>
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
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
