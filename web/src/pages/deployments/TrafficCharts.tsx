// Request rate and latency (p50, p99) of a deployment, bucketed per 5 s over the window.
import { useMemo } from "react";
import type { LoggedRequest } from "../../api/deployments";
import { Chart, type ChartOption } from "../../components/Chart";

const bucketMs = 5000;

interface Bucket {
  t: number;
  rate: number;
  p50: number | null;
  p99: number | null;
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export function bucketize(requests: LoggedRequest[], windowMs: number, now: number): Bucket[] {
  const end = Math.ceil(now / bucketMs) * bucketMs;
  const count = Math.ceil(windowMs / bucketMs);
  const latencies: number[][] = Array.from({ length: count }, () => []);
  for (const r of requests) {
    const i = count - 1 - Math.floor((end - 1 - r.time_ms) / bucketMs);
    if (i >= 0 && i < count) latencies[i].push(r.latency_ms);
  }
  return latencies.map((l, i) => {
    const sorted = [...l].sort((a, b) => a - b);
    return {
      t: end - (count - i) * bucketMs,
      rate: l.length / (bucketMs / 1000),
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
    };
  });
}

function option(
  buckets: Bucket[],
  series: { name: string; data: (number | null)[] }[],
  unit: string,
  symbols = false,
): ChartOption {
  return {
    grid: { left: 50, right: 16, top: 30, bottom: 30 },
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    xAxis: { type: "time" },
    yAxis: { type: "value", name: unit, nameGap: 8 },
    series: series.map((s) => ({
      name: s.name,
      type: "line",
      showSymbol: symbols,
      symbolSize: 4,
      connectNulls: false,
      data: buckets.map((b, i) => [b.t, s.data[i]]),
    })),
  };
}

/** `asOf`: when the requests were read; the window ends there. */
export function TrafficCharts({
  requests,
  windowMs,
  asOf,
}: {
  requests: LoggedRequest[];
  windowMs: number;
  asOf: number;
}) {
  const buckets = useMemo(() => (asOf ? bucketize(requests, windowMs, asOf) : []), [requests, windowMs, asOf]);
  const rate = useMemo(
    () => option(buckets, [{ name: "requests/s", data: buckets.map((b) => b.rate) }], "req/s"),
    [buckets],
  );
  const latency = useMemo(
    () =>
      option(
        buckets,
        [
          { name: "p50", data: buckets.map((b) => b.p50) },
          { name: "p99", data: buckets.map((b) => b.p99) },
        ],
        "ms",
        true,
      ),
    [buckets],
  );
  return (
    <div className="grid2">
      <div className="panel">
        <h3>Request rate</h3>
        <Chart option={rate} height={220} testId="rate-chart" />
      </div>
      <div className="panel">
        <h3>Latency</h3>
        <Chart option={latency} height={220} testId="latency-chart" />
      </div>
    </div>
  );
}
