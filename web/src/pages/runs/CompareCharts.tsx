// One chart per metric of the compared runs: lines over steps overlaid (metrics logged over
// several steps), or each run's final value as a bar (metrics with one step).
import { useMemo } from "react";
import { useApi } from "../../api/useApi";
import { Chart, type ChartOption } from "../../components/Chart";
import { Empty, ErrorBanner } from "../../components/Status";
import { type Comparison, loadHistories, steppedMetrics } from "./compareData";
import { runColor } from "./runColors";

const MAX_CHARTS = 40;

export function CompareCharts({ comparison }: { comparison: Comparison }) {
  const stepped = useMemo(() => new Set(steppedMetrics(comparison)), [comparison]);
  const keys = useMemo(
    () =>
      [...comparison.metricKeys]
        .sort((a, b) => Number(stepped.has(b)) - Number(stepped.has(a)))
        .slice(0, MAX_CHARTS),
    [comparison, stepped],
  );
  const histories = useApi(
    () => loadHistories(comparison, keys.filter((k) => stepped.has(k))),
    [comparison, keys, stepped],
  );
  return (
    <section className="panel">
      <h2>Metrics</h2>
      {keys.length === 0 && <Empty>These runs have no metrics.</Empty>}
      {comparison.metricKeys.length > MAX_CHARTS && (
        <p className="muted">Charts for the first {MAX_CHARTS} of {comparison.metricKeys.length} metrics.</p>
      )}
      <ErrorBanner error={histories.error} />
      <div className="metric-charts">
        {keys.map((key) =>
          stepped.has(key) ? (
            histories.data && <LinesChart key={key} metricKey={key} comparison={comparison} series={histories.data.get(key)} />
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
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 56, right: 16, top: 16, bottom: 56 },
      tooltip: { trigger: "item" },
      xAxis: { type: "category", data: comparison.runs.map((r) => r.label), axisLabel: { rotate: 20 } },
      yAxis: { type: "value" },
      series: [
        {
          type: "bar",
          name: metricKey,
          data: comparison.runs.map((run, i) => ({
            value: run.metrics.get(metricKey)?.value ?? null,
            itemStyle: { color: runColor(i) },
          })),
        },
      ],
    }),
    [comparison, metricKey],
  );
  return <ChartBox metricKey={metricKey} option={option} kind="final" />;
}

function ChartBox({ metricKey, option, kind }: { metricKey: string; option: ChartOption; kind: string }) {
  return (
    <div className="metric-chart" data-testid="compare-chart" data-metric={metricKey} data-kind={kind}>
      <h3 className="mono">{metricKey}</h3>
      <Chart option={option} height={240} />
    </div>
  );
}
