// The latest value of every metric of the compared runs, side by side; the best value of a
// row (highest, or lowest for loss/error-like names) is bold.
import { formatNumber } from "../../components/format";
import { type Comparison, missingReason } from "./compareData";
import { RunGrid } from "./RunGrid";

const lowerIsBetter = (key: string) => /loss|error|rmse|mae|mse/i.test(key);

export function CompareMetricsTable({ comparison }: { comparison: Comparison }) {
  return (
    <section className="panel">
      <h2>Metric values</h2>
      <RunGrid
        comparison={comparison}
        first="Metric"
        testId="compare-metrics"
        note={(run) => (run.metrics.size === 0 ? missingReason(run) : undefined)}
      >
        {comparison.metricKeys.map((key) => {
          const values = comparison.runs.map((r) => r.metrics.get(key)?.value);
          const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
          const best =
            new Set(finite).size > 1 ? (lowerIsBetter(key) ? Math.min(...finite) : Math.max(...finite)) : undefined;
          return (
            <tr key={key} data-testid="compare-metrics-row">
              <td className="mono">{key}</td>
              {values.map((v, i) => (
                <td
                  key={i}
                  className="num"
                  style={{ fontWeight: v === best ? 700 : undefined }}
                  title={v === undefined ? missingReason(comparison.runs[i]) : undefined}
                >
                  {formatNumber(v)}
                </td>
              ))}
            </tr>
          );
        })}
      </RunGrid>
    </section>
  );
}
