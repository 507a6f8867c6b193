// The model registry as the UI uses it: the native model routes (GET /api/v1/models...) to
// read, MLflow's registry routes (/api/2.0/mlflow/...) to write, and the lineage and run
// routes that tell where a model came from.
import { get, post, request } from "./client";

export interface Tag {
  key: string;
  value: string;
}

export interface ModelVersion {
  name: string;
  version: string;
  source: string;
  run_id: string;
  status: string;
  current_stage: string;
  description: string;
  aliases?: string[];
  tags?: Tag[];
  creation_timestamp: number;
  last_updated_timestamp: number;
}

export interface RegisteredModel {
  name: string;
  description?: string;
  aliases?: { alias: string; version: string }[];
  latest_versions?: ModelVersion[];
  versions?: ModelVersion[];
  tags?: Tag[];
  creation_timestamp: number;
  last_updated_timestamp: number;
}

export interface ModelPage {
  models: RegisteredModel[];
  next_page_token?: string;
}

export const listModels = (pageToken?: string, filter?: string, maxResults = 50) =>
  get<ModelPage>("/api/v1/models", { max_results: maxResults, page_token: pageToken, filter });

export const getModel = (name: string) =>
  get<{ model: RegisteredModel }>(`/api/v1/models/${encodeURIComponent(name)}`).then((a) => a.model);

const registry = "/api/2.0/mlflow";

/** Creates the registered model; resolves to false when it exists already. */
export async function ensureRegisteredModel(name: string): Promise<boolean> {
  try {
    await post(`${registry}/registered-models/create`, { name });
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === "RESOURCE_ALREADY_EXISTS") return false;
    throw e;
  }
}

export const createModelVersion = (name: string, source: string, runId: string) =>
  post<{ model_version: ModelVersion }>(`${registry}/model-versions/create`, {
    name,
    source,
    run_id: runId,
  }).then((a) => a.model_version);

export const setAlias = (name: string, alias: string, version: string) =>
  post(`${registry}/registered-models/alias`, { name, alias, version });

export const deleteAlias = (name: string, alias: string) =>
  request("DELETE", `${registry}/registered-models/alias`, { name, alias });

/** `kiln-package:<digest>` sources name a model package artifact. */
export function packageDigest(source: string): string | undefined {
  const prefix = "kiln-package:";
  return source.startsWith(prefix) ? source.slice(prefix.length) : undefined;
}

// ---- the runs and pipeline runs a model comes from (only the fields used here) ----

export interface Metric {
  key: string;
  value: number | string;
  step: number;
  timestamp: number;
}

export interface TrackingRun {
  info: { run_id: string; run_name: string; experiment_id: string; status: string };
  data: { metrics?: Metric[]; params?: Tag[]; tags?: Tag[] };
}

export const getTrackingRun = (runId: string) =>
  get<{ run: TrackingRun }>(`/api/v1/runs/${encodeURIComponent(runId)}`).then((a) => a.run);

export interface StepOutput {
  name: string;
  type: string;
  digest: string;
  folder: boolean;
}

export interface PipelineStep {
  step: string;
  run_id: string;
  status: string;
  outputs: StepOutput[];
}

export interface PipelineRunSummary {
  run_id: string;
  pipeline: string;
  status: string;
  steps: PipelineStep[];
}

export const getPipelineRun = (runId: string) =>
  get<PipelineRunSummary>(`/api/v1/pipeline-runs/${encodeURIComponent(runId)}`);

export const tagOf = (tags: Tag[] | undefined, key: string) =>
  tags?.find((t) => t.key === key)?.value;

// ---- lineage ----

export interface LineageEdge {
  src_kind: string;
  src_id: string;
  dst_kind: string;
  dst_id: string;
  label: string;
}

export const getLineage = (kind: string, id: string) =>
  get<{ edges: LineageEdge[] }>("/api/v1/lineage", { kind, id }).then((a) => a.edges);
