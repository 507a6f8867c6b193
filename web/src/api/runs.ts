// Tracking runs and experiments: the types the server answers with and the calls the Runs
// pages make (native /api/v1 search, MLflow metric history and artifact listing, the
// artifact proxy for downloads). Pipeline runs live in ./pipelines, stored outputs in ./blobs.
import { get } from "./client";

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  creation_time?: number;
  last_update_time?: number;
  tags?: KeyValue[];
}

export interface KeyValue {
  key: string;
  value: string;
}

/** A metric value; NaN and infinities arrive as strings (protobuf JSON). */
export interface Metric {
  key: string;
  value: number | string;
  step: number;
  timestamp: number;
}

export interface RunInfo {
  run_id: string;
  run_name: string;
  experiment_id: string;
  status: string;
  start_time?: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage?: string;
  user_id?: string;
}

export interface Run {
  info: RunInfo;
  data: { metrics?: Metric[]; params?: KeyValue[]; tags?: KeyValue[] };
  inputs?: unknown;
}

export interface RunPage {
  runs: Run[];
  next_page_token?: string;
}

export interface RunQuery {
  experimentIds?: string[];
  filter?: string;
  orderBy?: string;
  maxResults?: number;
  pageToken?: string;
}

export interface ArtifactFile {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export const listExperiments = (pageToken?: string) =>
  get<{ experiments?: Experiment[]; next_page_token?: string }>("/api/v1/experiments", {
    max_results: 100,
    page_token: pageToken,
  });

export const getExperiment = (id: string) =>
  get<{ experiment: Experiment }>(`/api/v1/experiments/${encodeURIComponent(id)}`).then((a) => a.experiment);

export const searchRuns = (q: RunQuery) =>
  get<RunPage>("/api/v1/runs", {
    experiment_id: q.experimentIds,
    filter: q.filter,
    order_by: q.orderBy,
    max_results: q.maxResults,
    page_token: q.pageToken,
  }).then((page) => ({ ...page, runs: page.runs ?? [] }));

export const getRun = (id: string) => get<{ run: Run }>(`/api/v1/runs/${encodeURIComponent(id)}`).then((a) => a.run);

/** Every point of one metric of a run, oldest step first. */
export async function getMetricHistory(runId: string, key: string): Promise<Metric[]> {
  const answer = await get<{ metrics?: Metric[] }>("/api/2.0/mlflow/metrics/get-history", {
    run_id: runId,
    metric_key: key,
  });
  return (answer.metrics ?? []).slice().sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
}

/** The entries of one artifact folder of a run ("" is its root); paths are run-relative. */
export async function listArtifacts(runId: string, path: string): Promise<ArtifactFile[]> {
  const answer = await get<{ files?: ArtifactFile[] }>("/api/2.0/mlflow/artifacts/list", {
    run_id: runId,
    path: path || undefined,
  });
  return answer.files ?? [];
}

/** The artifact proxy URL that downloads a run's artifact (`mlflow-artifacts:/...` URIs). */
export function artifactUrl(run: RunInfo, path: string): string | undefined {
  const prefix = "mlflow-artifacts:/";
  if (!run.artifact_uri.startsWith(prefix)) return undefined;
  const root = run.artifact_uri.slice(prefix.length).replace(/^\/+/, "");
  const segments = [...root.split("/"), ...path.split("/")].filter(Boolean);
  return "/api/2.0/mlflow-artifacts/artifacts/" + segments.map(encodeURIComponent).join("/");
}

/** Quotes a string for the MLflow filter grammar (runs, experiments, models: docs/api.md). */
export const quoteFilterString = (s: string) => `'${s.replace(/'/g, "\\'")}'`;

/** Runs with these ids (at most 1,000), in the order given. */
export async function runsByIds(ids: string[]): Promise<Run[]> {
  if (ids.length === 0) return [];
  const filter = `attributes.run_id IN (${ids.map(quoteFilterString).join(", ")})`;
  const page = await searchRuns({ filter, maxResults: Math.min(1000, ids.length) });
  const byId = new Map(page.runs.map((r) => [r.info.run_id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is Run => r !== undefined);
}

/** The step runs (children) of these parent runs, every page of them. */
export async function childRunsOf(parentIds: string[]): Promise<Run[]> {
  if (parentIds.length === 0) return [];
  const filter = `tags."mlflow.parentRunId" IN (${parentIds.map(quoteFilterString).join(", ")})`;
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await searchRuns({ filter, maxResults: 1000, pageToken });
    runs.push(...page.runs);
    pageToken = page.next_page_token;
  } while (pageToken && runs.length < 20000);
  return runs;
}

export const tagOf = (run: Run, key: string) => run.data.tags?.find((t) => t.key === key)?.value;
export const paramOf = (run: Run, key: string) => run.data.params?.find((p) => p.key === key)?.value;
export const metricOf = (run: Run, key: string) => run.data.metrics?.find((m) => m.key === key);

/** A metric value as a number (NaN/Infinity strings included). */
export function metricNumber(value: number | string): number {
  if (typeof value === "number") return value;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  return Number(value);
}

/** How a run belongs to a pipeline: its pipeline run id and, for a step's run, the step. */
export function pipelineLinkOf(run: Run): { pipelineRunId: string; step?: string } | undefined {
  const type = tagOf(run, "kiln.type");
  if (type === "pipeline") return { pipelineRunId: run.info.run_id };
  const parent = tagOf(run, "mlflow.parentRunId");
  const step = tagOf(run, "kiln.step");
  if (type === "step" && parent && step) return { pipelineRunId: parent, step };
  return undefined;
}
