// The grid both comparison tables use: one row per param or metric, one column per compared
// run, under a header row naming each run (linking to its page) in its chart colour.
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import type { ComparedRun, Comparison } from "./compareData";
import { runColor } from "./runColors";

interface Props {
  comparison: Comparison;
  /** The first column's heading ("Param", "Metric"). */
  first: string;
  testId: string;
  children: ReactNode;
  /** A line under a run's name (why its column is empty). */
  note?: (run: ComparedRun) => string | undefined;
}

export function RunGrid({ comparison, first, testId, children, note }: Props) {
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
                {note?.(run) && (
                  <div className="muted run-head-note" data-testid="run-head-note">
                    {note(run)}
                  </div>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
