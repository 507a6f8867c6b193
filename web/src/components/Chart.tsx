// An ECharts chart that follows its option and its container's size. Drawn on a canvas, or
// as SVG (`renderer="svg"`: its text is in the page, for small charts whose labels matter).
import { useEffect, useRef } from "react";
import * as echarts from "echarts";

export type ChartOption = echarts.EChartsOption;

export function Chart({
  option,
  height = 320,
  testId,
  renderer = "canvas",
}: {
  option: ChartOption;
  height?: number;
  testId?: string;
  renderer?: "canvas" | "svg";
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
    };
  }, [renderer]);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option, renderer]);

  return <div ref={element} className="chart" style={{ height }} data-testid={testId} />;
}
