// Loads what the comparison page shows: the runs (named by ids or by a sweep), each with its
// params and metrics; a pipeline run also gets its steps' metrics, keyed `STEP/METRIC`.
import { listPipelineRuns } from "../../api/pipelines";
import { childRunsOf, getMetricHistory, metricNumber, type Run, runsByIds, tagOf } from "../../api/runs";

/** How many runs a comparison takes. */
export const MIN_COMPARE = 2;
export const MAX_COMPARE = 50;

/** A metric as compared: the latest value, and where its history lives. */
export interface ComparedMetric {
  value: number;
  step: number;
  ownerRunId: string;
  ownerKey: string;
}

export interface ComparedRun {
  run: Run;
  id: string;
  label: string;
  params: Map<string, string>;
  metrics: Map<string, ComparedMetric>;
  /**
   * Results came from the step cache: the run itself, or a step of a pipeline run. A cached
   * step run carries the latest metrics of the run that computed it (tag `kiln.cached_from`);
   * one recorded before Kiln copied them may have none.
   */
  cached: boolean;
}

export interface Comparison {
  runs: ComparedRun[];
  missing: string[];
  paramKeys: string[];
  metricKeys: string[];
}

/** A refusal to compare (too few or too many runs), shown as a message, not an error. */
export class CompareRefusal extends Error {}

function checkCount(n: number, what: string) {
  if (n < MIN_COMPARE) throw new CompareRefusal(`Comparing needs at least ${MIN_COMPARE} runs; ${what} ${n}.`);
  if (n > MAX_COMPARE) throw new CompareRefusal(`At most ${MAX_COMPARE} runs can be compared; ${what} ${n}.`);
}

/** The run ids a `?runs=` or `?sweep=` query names. */
export async function resolveRunIds(runsParam: string | null, sweep: string | null): Promise<string[]> {
  if (sweep) {
    const page = await listPipelineRuns({ sweep_id: sweep }, MAX_COMPARE + 1);
    const runs = page.items;
    if (page.next_page_token || runs.length > MAX_COMPARE) checkCount(MAX_COMPARE + 1, "this sweep has more than");
    checkCount(runs.length, `sweep ${sweep} has`);
    return runs.map((r) => r.run_id);
  }
  const ids = [
    ...new Set(
      (runsParam ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  checkCount(ids.length, "the link names");
  return ids;
}

export async function loadComparison(ids: string[]): Promise<Comparison> {
  const runs = await runsByIds(ids);
  const parents = runs.filter((r) => tagOf(r, "kiln.type") === "pipeline").map((r) => r.info.run_id);
  return buildComparison(ids, runs, await childRunsOf(parents));
}

/**
 * The comparison of `runs` (asked for as `ids`; the ones not found are `missing`): a pipeline
 * run gets the metrics of its step runs among `children`, keyed `STEP/METRIC`.
 */
export function buildComparison(ids: string[], runs: Run[], children: Run[]): Comparison {
  const found = new Set(runs.map((r) => r.info.run_id));
  const compared = runs.map((run) => compareRun(run, children));
  return {
    runs: compared,
    missing: ids.filter((id) => !found.has(id)),
    paramKeys: unionKeys(compared.map((c) => c.params)),
    metricKeys: unionKeys(compared.map((c) => c.metrics)),
  };
}

const isCached = (run: Run) => tagOf(run, "kiln.cached") === "true";

function compareRun(run: Run, children: Run[]): ComparedRun {
  const metrics = new Map<string, ComparedMetric>();
  // A cached run holds only the latest value of each metric; the history is its source's.
  const add = (owner: Run, prefix: string) =>
    owner.data.metrics?.forEach((m) =>
      metrics.set(prefix + m.key, {
        value: metricNumber(m.value),
        step: m.step,
        ownerRunId: tagOf(owner, "kiln.cached_from") ?? owner.info.run_id,
        ownerKey: m.key,
      }),
    );
  add(run, "");
  const steps = children.filter((c) => tagOf(c, "mlflow.parentRunId") === run.info.run_id);
  steps.forEach((c) => add(c, `${tagOf(c, "kiln.step") ?? c.info.run_name}/`));
  return {
    run,
    id: run.info.run_id,
    label: run.info.run_name || run.info.run_id.slice(0, 8),
    params: new Map((run.data.params ?? []).map((p) => [p.key, p.value])),
    metrics,
    cached: isCached(run) || steps.some(isCached),
  };
}

/** Why a compared run shows no value of a metric ("no metrics (cached run)", ...). */
export function missingReason(run: ComparedRun): string {
  if (run.metrics.size > 0) return "no value";
  return run.cached ? "no metrics (cached run)" : "no metrics";
}

function unionKeys(maps: Map<string, unknown>[]): string[] {
  const keys = new Set<string>();
  maps.forEach((m) => m.forEach((_, k) => keys.add(k)));
  return [...keys].sort();
}

/** Whether a param's value differs between the runs (a missing value counts as different). */
export function differs(runs: ComparedRun[], key: string): boolean {
  const values = new Set(runs.map((r) => r.params.get(key) ?? "\u0000missing"));
  return values.size > 1;
}

/** Metrics logged over more than one step in some run: those get line charts. */
export function steppedMetrics(c: Comparison): string[] {
  return c.metricKeys.filter((k) => c.runs.some((r) => (r.metrics.get(k)?.step ?? 0) > 0));
}

/** Metric histories of each run for the given keys: key -> run id -> [step, value][]. */
export async function loadHistories(c: Comparison, keys: string[]) {
  const jobs: { key: string; run: ComparedRun; metric: ComparedMetric }[] = [];
  for (const key of keys) {
    for (const run of c.runs) {
      const metric = run.metrics.get(key);
      if (metric) jobs.push({ key, run, metric });
    }
  }
  const out = new Map<string, Map<string, [number, number][]>>();
  await inBatches(jobs, 6, async ({ key, run, metric }) => {
    const points = await getMetricHistory(metric.ownerRunId, metric.ownerKey);
    if (!out.has(key)) out.set(key, new Map());
    out.get(key)!.set(
      run.id,
      points.map((p) => [p.step, metricNumber(p.value)]),
    );
  });
  return out;
}

async function inBatches<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}
