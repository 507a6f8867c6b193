// Parallel coordinates: an axis per param whose value differs between the runs, plus a chosen
// metric as the last axis; each run is a line coloured by that metric. Numbers on the axes and
// the colour legend get the decimals their range needs (0.812 and 0.848, not 1 and 1).
import { useMemo, useState } from "react";
import { Chart, type ChartOption } from "../../components/Chart";
import { Empty } from "../../components/Status";
import { rangeFormatter } from "../../components/format";
import { type Comparison, type ComparedRun, differs } from "./compareData";

function defaultMetric(keys: string[]): string {
  return keys.find((k) => /(^|\/)accuracy$/.test(k)) ?? keys.find((k) => /acc|loss|score/.test(k)) ?? keys[0] ?? "";
}

const isNumeric = (values: string[]) => values.every((v) => v !== "" && Number.isFinite(Number(v)));

/** Labels for a value axis or legend over these numbers. */
function labels(values: number[]) {
  const format = values.length ? rangeFormatter(Math.min(...values), Math.max(...values)) : rangeFormatter(0, 1);
  return (v: unknown) => format(Number(v));
}

function paramAxis(index: number, key: string, runs: ComparedRun[]) {
  const values = runs.map((r) => r.params.get(key) ?? "");
  if (isNumeric(values)) {
    const formatter = labels(values.map(Number));
    return { dim: index, name: key, type: "value" as const, scale: true, axisLabel: { formatter } };
  }
  const categories = [...new Set(values.map((v) => v || "(none)"))].sort();
  return { dim: index, name: key, type: "category" as const, data: categories };
}

function buildOption(c: Comparison, params: string[], metric: string): ChartOption {
  const axes = params.map((key, i) => paramAxis(i, key, c.runs));
  const values = c.runs.map((r) => r.metrics.get(metric)?.value).filter((v): v is number => Number.isFinite(v));
  const formatter = labels(values);
  const lines = c.runs.map((run) => ({
    name: run.label,
    value: [
      ...params.map((key, i) => {
        const v = run.params.get(key) ?? "";
        return axes[i].type === "value" ? Number(v) : v || "(none)";
      }),
      run.metrics.get(metric)?.value ?? "-",
    ],
  }));
  return {
    tooltip: { trigger: "item", formatter: (p: unknown) => (p as { name: string }).name },
    parallelAxis: [...axes, { dim: params.length, name: metric, type: "value", scale: true, axisLabel: { formatter } }],
    parallel: { left: 60, right: 90, top: 40, bottom: 30 },
    visualMap: {
      type: "continuous",
      dimension: params.length,
      min: values.length ? Math.min(...values) : 0,
      max: values.length ? Math.max(...values) : 1,
      right: 0,
      top: "middle",
      calculable: true,
      formatter,
      inRange: { color: ["#dc2626", "#facc15", "#16a34a"] },
    },
    series: [{ type: "parallel", lineStyle: { width: 2, opacity: 0.8 }, data: lines }],
  };
}

export function ParallelChart({ comparison }: { comparison: Comparison }) {
  const [metric, setMetric] = useState(() => defaultMetric(comparison.metricKeys));
  const params = useMemo(() => comparison.paramKeys.filter((k) => differs(comparison.runs, k)), [comparison]);
  const option = useMemo(() => buildOption(comparison, params, metric), [comparison, params, metric]);
  return (
    <section className="panel" data-testid="parallel-section">
      <div className="toolbar">
        <h2 className="grow-title">Params against a metric</h2>
        <label>
          Metric{" "}
          <select data-testid="parallel-metric" value={metric} onChange={(e) => setMetric(e.target.value)}>
            {comparison.metricKeys.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
      </div>
      {params.length === 0 ? (
        <Empty>The runs have the same params: nothing to draw.</Empty>
      ) : !metric ? (
        <Empty>The runs have no metrics.</Empty>
      ) : (
        <div data-testid="parallel-chart" data-axes={[...params, metric].join(",")}>
          <Chart option={option} height={340} renderer="svg" />
        </div>
      )}
    </section>
  );
}
