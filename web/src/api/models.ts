// The model registry as the UI uses it: the native model routes (GET /api/v1/models...) to
// read, MLflow's registry routes (/api/2.0/mlflow/...) to write, and the lineage route that
// tells where a model came from (its runs are read through ./runs and ./pipelines).
import { get, post, request } from "./client";
import type { KeyValue } from "./runs";

export interface ModelVersion {
  name: string;
  version: string;
  source: string;
  run_id: string;
  status: string;
  current_stage: string;
  description: string;
  aliases?: string[];
  tags?: KeyValue[];
  creation_timestamp: number;
  last_updated_timestamp: number;
}

export interface RegisteredModel {
  name: string;
  description?: string;
  aliases?: { alias: string; version: string }[];
  latest_versions?: ModelVersion[];
  versions?: ModelVersion[];
  tags?: KeyValue[];
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

/** Model versions matching an MLflow filter (`run_id IN ('a', 'b')`), the first `maxResults`. */
export const searchModelVersions = (filter: string, maxResults = 100) =>
  get<{ model_versions?: ModelVersion[] }>(`${registry}/model-versions/search`, {
    filter,
    max_results: maxResults,
  }).then((a) => a.model_versions ?? []);

export const setAlias = (name: string, alias: string, version: string) =>
  post(`${registry}/registered-models/alias`, { name, alias, version });

export const deleteAlias = (name: string, alias: string) =>
  request("DELETE", `${registry}/registered-models/alias`, { name, alias });

/** `kiln-package:<digest>` sources name a model package artifact. */
export function packageDigest(source: string): string | undefined {
  const prefix = "kiln-package:";
  return source.startsWith(prefix) ? source.slice(prefix.length) : undefined;
}

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

/** A node of a model version's lineage; step runs carry their pipeline run and re-use count. */
export interface VersionLineageNode {
  kind: string; // model_version, artifact, step_run, dataset, run
  id: string;
  step?: string;
  pipeline_run_id?: string;
  pipeline_name?: string;
  started_ms?: number;
  reused_by?: number; // cached step runs of later pipeline runs that re-used this one's results
}

/** A model version's lineage, traced by the server along the run that first produced it. */
export interface VersionLineage {
  model_version: { name: string; version: string; source: string; run_id: string };
  source_run?: VersionLineageNode;
  nodes: VersionLineageNode[];
  edges: LineageEdge[];
}

export const getVersionLineage = (name: string, version: string) =>
  get<VersionLineage>(`/api/v1/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/lineage`);
