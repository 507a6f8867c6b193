// A run's metrics: the latest values as a table, and one line chart per metric logged at more
// than one point (from the MLflow metric history); a single value stays a value in the table.
import { useMemo } from "react";
import { getMetricHistory, type Metric, metricNumber, type Run } from "../../api/runs";
import { useApi } from "../../api/useApi";
import { Chart, type ChartOption } from "../../components/Chart";
import { DataTable, type Column } from "../../components/DataTable";
import { Empty, ErrorBanner } from "../../components/Status";
import { formatNumber, formatTime } from "../../components/format";

const MAX_CHARTS = 40;

export function MetricsSection({ run }: { run: Run; live?: boolean }) {
  const metrics = useMemo(() => [...(run.data.metrics ?? [])].sort((a, b) => a.key.localeCompare(b.key)), [run]);
  const signature = metrics.map((m) => `${m.key}:${m.step}:${m.timestamp}`).join("|");
  const charted = metrics.slice(0, MAX_CHARTS);
  const histories = useApi(
    () =>
      Promise.all(charted.map(async (m) => ({ key: m.key, points: await getMetricHistory(run.info.run_id, m.key) }))),
    // Loaded again when a metric moved (its signature), not on every poll of the same run.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [run.info.run_id, signature],
  );
  const lines = histories.data ?? [];
  const curves = lines.filter((l) => l.points.length > 1);
  const singles = lines.length - curves.length;
  return (
    <section
      className="panel"
      data-testid="metrics-section"
      data-loaded={Boolean(histories.data) || metrics.length === 0}
    >
      <h2>Metrics</h2>
      {metrics.length === 0 && <Empty>No metrics.</Empty>}
      {metrics.length > 0 && <MetricTable metrics={metrics} />}
      <ErrorBanner error={histories.error} />
      {metrics.length > MAX_CHARTS && (
        <p className="muted">
          Charts for the first {MAX_CHARTS} metrics of {metrics.length}.
        </p>
      )}
      {curves.length > 0 && singles > 0 && (
        <p className="muted" data-testid="single-value-note">
          {singles} metric{singles === 1 ? " has" : "s have"} a single value, shown in the table only.
        </p>
      )}
      <div className="metric-charts">
        {curves.map((l) => (
          <MetricChart key={l.key} metricKey={l.key} points={l.points} />
        ))}
      </div>
    </section>
  );
}

const metricColumns: Column<Metric>[] = [
  { header: "Metric", cell: (m) => m.key, className: "mono" },
  { header: "Value", cell: (m) => formatNumber(metricNumber(m.value), 6), num: true },
  { header: "Step", cell: (m) => m.step, num: true },
  { header: "Logged", cell: (m) => formatTime(m.timestamp) },
];

function MetricTable({ metrics }: { metrics: Metric[] }) {
  return (
    <DataTable
      rows={metrics}
      columns={metricColumns}
      rowKey={(m) => m.key}
      testId="run-metrics"
      rowTestId="run-metrics-row"
    />
  );
}

function MetricChart({ metricKey, points }: { metricKey: string; points: Metric[] }) {
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 56, right: 16, top: 16, bottom: 36 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", name: "step", nameLocation: "middle", nameGap: 24, minInterval: 1 },
      yAxis: { type: "value", scale: true },
      series: [
        {
          type: "line",
          name: metricKey,
          showSymbol: points.length < 60,
          symbolSize: 5,
          data: points.map((p) => [p.step, metricNumber(p.value)]),
        },
      ],
    }),
    [metricKey, points],
  );
  return (
    <div className="metric-chart" data-testid="metric-chart" data-metric={metricKey}>
      <h3 className="mono">{metricKey}</h3>
      <Chart option={option} height={220} />
    </div>
  );
}
