// One chart per metric of the compared runs: lines over steps overlaid (metrics logged over
// several steps), or each run's final value as a bar (metrics with one step). A run without a
// value gets no empty bar: a run with no metrics at all (a cached run) is named above the
// charts, one that lacks only this metric under its chart.
import { type ReactNode, useMemo } from "react";
import { Link } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { Chart, type ChartOption } from "../../components/Chart";
import { Empty, ErrorBanner } from "../../components/Status";
import { type Comparison, loadHistories, missingReason, steppedMetrics } from "./compareData";
import { runColor } from "./runColors";

const MAX_CHARTS = 40;

export function CompareCharts({ comparison }: { comparison: Comparison }) {
  const stepped = useMemo(() => new Set(steppedMetrics(comparison)), [comparison]);
  const keys = useMemo(
    () =>
      [...comparison.metricKeys].sort((a, b) => Number(stepped.has(b)) - Number(stepped.has(a))).slice(0, MAX_CHARTS),
    [comparison, stepped],
  );
  const histories = useApi(
    () =>
      loadHistories(
        comparison,
        keys.filter((k) => stepped.has(k)),
      ),
    [comparison, keys, stepped],
  );
  return (
    <section className="panel">
      <h2>Metrics</h2>
      {keys.length === 0 && <Empty>These runs have no metrics.</Empty>}
      <WithoutMetrics comparison={comparison} />
      {comparison.metricKeys.length > MAX_CHARTS && (
        <p className="muted">
          Charts for the first {MAX_CHARTS} of {comparison.metricKeys.length} metrics.
        </p>
      )}
      <ErrorBanner error={histories.error} />
      <div className="metric-charts">
        {keys.map((key) =>
          stepped.has(key) ? (
            histories.data && (
              <LinesChart key={key} metricKey={key} comparison={comparison} series={histories.data.get(key)} />
            )
          ) : (
            <FinalValuesChart key={key} metricKey={key} comparison={comparison} />
          ),
        )}
      </div>
    </section>
  );
}

interface ChartProps {
  metricKey: string;
  comparison: Comparison;
  series?: Map<string, [number, number][]>;
}

function LinesChart({ metricKey, comparison, series }: ChartProps) {
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 56, right: 16, top: 28, bottom: 36 },
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      xAxis: { type: "value", name: "step", nameLocation: "middle", nameGap: 24, minInterval: 1 },
      yAxis: { type: "value", scale: true },
      series: comparison.runs.map((run, i) => ({
        type: "line",
        name: run.label,
        color: runColor(i),
        showSymbol: false,
        data: series?.get(run.id) ?? [],
      })),
    }),
    [comparison, series],
  );
  return <ChartBox metricKey={metricKey} option={option} kind="lines" />;
}

function FinalValuesChart({ metricKey, comparison }: ChartProps) {
  const shown = useMemo(
    () => comparison.runs.map((run, i) => ({ run, color: runColor(i) })).filter((x) => x.run.metrics.has(metricKey)),
    [comparison, metricKey],
  );
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 56, right: 16, top: 16, bottom: 56 },
      tooltip: { trigger: "item" },
      xAxis: { type: "category", data: shown.map((x) => x.run.label), axisLabel: { rotate: 20 } },
      yAxis: { type: "value" },
      series: [
        {
          type: "bar",
          name: metricKey,
          data: shown.map(({ run, color }) => ({ value: run.metrics.get(metricKey)!.value, itemStyle: { color } })),
        },
      ],
    }),
    [shown, metricKey],
  );
  // Runs with no metrics at all are listed once, above the charts.
  const without = comparison.runs.filter((r) => !r.metrics.has(metricKey) && r.metrics.size > 0);
  return (
    <ChartBox metricKey={metricKey} option={option} kind="final" bars={shown.length}>
      {without.length > 0 && (
        <p className="muted chart-note" data-testid="compare-chart-missing">
          {without.map((r) => `${r.label}: ${missingReason(r)}`).join("; ")}
        </p>
      )}
    </ChartBox>
  );
}

interface BoxProps {
  metricKey: string;
  option: ChartOption;
  kind: string;
  bars?: number;
  children?: ReactNode;
}

function ChartBox({ metricKey, option, kind, bars, children }: BoxProps) {
  return (
    <div className="metric-chart" data-testid="compare-chart" data-metric={metricKey} data-kind={kind} data-bars={bars}>
      <h3 className="mono">{metricKey}</h3>
      <Chart option={option} height={240} />
      {children}
    </div>
  );
}

/** The runs that have no metrics at all, and why, above the charts. */
function WithoutMetrics({ comparison }: { comparison: Comparison }) {
  const without = comparison.runs.filter((r) => r.metrics.size === 0);
  if (without.length === 0 || comparison.metricKeys.length === 0) return null;
  return (
    <ul className="notice compare-no-metrics" data-testid="compare-no-metrics">
      {without.map((r) => (
        <li key={r.id} data-testid="compare-no-metrics-run" data-run-id={r.id}>
          <Link to={`/runs/${r.id}`}>{r.label}</Link>: {missingReason(r)}
        </li>
      ))}
    </ul>
  );
}
