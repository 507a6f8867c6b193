// Saved pipelines, pipeline runs (with their steps and the outputs they stored), their live
// events and step logs (docs/api.md, docs/pipelines.md): types and calls.
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

/** One output of a pipeline step: a stored blob, or a folder (`folder`) stored as a tree. */
export interface StepOutput {
  name: string;
  type: string;
  digest: string;
  folder: boolean;
  size?: number; // file outputs, in GET of one run
}

/** A step of a pipeline run, as GET /api/v1/pipeline-runs/{id} renders it. */
export interface PipelineStep {
  step: string;
  status: string;
  run_id: string; // the step's tracking (MLflow child) run; "" before it ran
  cached: boolean;
  cache_key: string;
  attempts: number;
  error: string;
  started_ms: number;
  ended_ms: number;
  outputs: StepOutput[];
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
  steps?: PipelineStep[]; // only on GET of one run
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

export const listPipelineRuns = (
  query: { pipeline?: string; sweep_id?: string },
  maxResults: number,
  pageToken?: string,
) =>
  get<{ runs: PipelineRun[]; next_page_token?: string }>("/api/v1/pipeline-runs", {
    ...query,
    max_results: maxResults,
    page_token: pageToken,
  }).then((a): Page<PipelineRun> => ({ items: a.runs ?? [], next_page_token: a.next_page_token }));

export const getPipelineRun = (runId: string) => get<PipelineRun>(runPath(runId));

export const cancelPipelineRun = (runId: string) => post<object>(`${runPath(runId)}/cancel`);

/** The step's whole log as text. */
export const stepLog = (runId: string, step: string) =>
  requestText(`${runPath(runId)}/steps/${encodeURIComponent(step)}/logs`);

/**
 * The URL of the run's Server-Sent Events (for EventSource): `log` events of `step` only when
 * given, of every step when `logs` (the default), none otherwise.
 */
export const pipelineRunEventsUrl = (runId: string, options: { step?: string; logs?: boolean } = {}) =>
  withQuery(`${runPath(runId)}/events`, {
    step: options.step,
    logs: options.step || options.logs !== false ? undefined : 0,
  });

export const TERMINAL_STATES = ["SUCCEEDED", "FAILED", "CANCELLED"];
