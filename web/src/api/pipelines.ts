// Saved pipelines, pipeline runs, their live events and step logs (docs/api.md,
// docs/pipelines.md): types and calls.
import { get, post, put, requestText, withQuery } from "./client";

export interface PipelineSummary {
  name: string;
  file: string;
  created_ms: number;
  updated_ms: number;
  step_count: number;
  last_run: { run_id: string; status: string; created_ms: number } | null;
}

export interface SavedPipeline {
  name: string;
  spec: string; // the YAML text, exactly as saved
  file: string;
  base_dir: string;
  created_ms: number;
  updated_ms: number;
}

export interface StepOutputRecord {
  name: string;
  type: string;
  digest: string;
  folder: boolean;
}

export interface StepRecord {
  step: string;
  status: string;
  run_id: string; // the step's tracking (MLflow child) run; "" before it ran
  cached: boolean;
  cache_key: string;
  attempts: number;
  error: string;
  started_ms: number;
  ended_ms: number;
  outputs: StepOutputRecord[];
  exit_code?: number;
}

export interface PipelineRun {
  run_id: string; // also the tracking (MLflow parent) run's id
  pipeline: string;
  file: string;
  status: string;
  overrides: string[];
  params: Record<string, unknown>;
  sweep_id: string;
  schedule_id: string;
  error: string;
  created_ms: number;
  started_ms: number;
  ended_ms: number;
  steps?: StepRecord[];
}

export interface Submission {
  pipeline: string;
  sweep_id: string;
  runs: { run_id: string; description: string }[];
}

export interface SubmitRequest {
  pipeline?: string;
  spec?: string;
  base_dir?: string;
  overrides?: string[];
  multirun?: boolean;
}

export interface Page<T> {
  items: T[];
  next_page_token?: string;
}

export interface DatasetSummary {
  name: string;
  description: string;
  latest_version: number;
  created_ms: number;
  updated_ms: number;
}

const pipelinePath = (name: string) => `/api/v1/pipelines/${encodeURIComponent(name)}`;
const runPath = (runId: string) => `/api/v1/pipeline-runs/${encodeURIComponent(runId)}`;

export const listPipelines = (maxResults: number, pageToken?: string) =>
  get<{ pipelines: PipelineSummary[]; next_page_token?: string }>("/api/v1/pipelines", {
    max_results: maxResults,
    page_token: pageToken,
  }).then((a): Page<PipelineSummary> => ({ items: a.pipelines ?? [], next_page_token: a.next_page_token }));

export const getPipeline = (name: string) =>
  get<{ pipeline: SavedPipeline }>(pipelinePath(name)).then((a) => a.pipeline);

export const savePipeline = (name: string, spec: string) =>
  put<{ pipeline: SavedPipeline }>(pipelinePath(name), { spec });

export const validatePipeline = (spec: string) =>
  post<{ valid: boolean; name: string; steps: unknown }>("/api/v1/pipelines/validate", { spec });

export const submitRun = (request: SubmitRequest) => post<Submission>("/api/v1/pipeline-runs", request);

export const listRuns = (query: { pipeline?: string; sweep_id?: string }, maxResults: number, pageToken?: string) =>
  get<{ runs: PipelineRun[]; next_page_token?: string }>("/api/v1/pipeline-runs", {
    ...query,
    max_results: maxResults,
    page_token: pageToken,
  }).then((a): Page<PipelineRun> => ({ items: a.runs ?? [], next_page_token: a.next_page_token }));

export const getRun = (runId: string) => get<PipelineRun>(runPath(runId));

export const cancelRun = (runId: string) => post<object>(`${runPath(runId)}/cancel`);

/** The step's whole log as text. */
export const stepLog = (runId: string, step: string) =>
  requestText(`${runPath(runId)}/steps/${encodeURIComponent(step)}/logs`);

/** The URL of the run's Server-Sent Events (for EventSource). */
export const runEventsUrl = (runId: string, step?: string) =>
  withQuery(`${runPath(runId)}/events`, { step, logs: step ? undefined : 0 });

export const listDatasets = () =>
  get<{ datasets: DatasetSummary[] }>("/api/v1/datasets").then((a) => a.datasets ?? []);

export const TERMINAL_STATES = ["SUCCEEDED", "FAILED", "CANCELLED"];
