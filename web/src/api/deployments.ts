// Deployments (GET/POST/DELETE /api/v1/deployments...) and the prediction routes of one
// deployment (/serve/NAME/...), see docs/serving.md.
import { del, get, post, request } from "./client";

export interface DriftEntry {
  feature: string;
  /** null below min_rows (level "insufficient_data") or with no live rows. */
  psi: number | null;
  /** no_data, insufficient_data, stable, moderate or major */
  level: string;
  live_rows: number;
  /** live rows the feature needs before its drift has a level */
  min_rows: number;
  /** live values its encoder did not see in training */
  unseen_values: number;
}

export interface Slot {
  ref: string;
  serving_version: number;
  target_version: number;
  state: string;
  loaded_ms: number;
  error: string;
  drift: DriftEntry[] | null;
}

export interface Quality {
  model: string;
  version: number;
  requests: number;
  rows: number;
  correct?: number;
  accuracy?: number;
  rmse?: number;
  mae?: number;
}

export interface Deployment {
  name: string;
  model: string;
  canary: string | null;
  canary_weight: number;
  strict_inputs: boolean;
  drift_min_rows: number;
  created_ms: number;
  updated_ms: number;
  primary: Slot;
  canary_status: Slot | null;
  endpoints: Record<string, string>;
  quality?: Quality[];
}

export interface DeploymentSpec {
  name: string;
  model: string;
  canary?: string;
  canary_weight?: number;
}

export interface Prediction {
  predicted: string | number;
  probabilities?: Record<string, number>;
}

export interface LoggedRequest {
  request_id: string;
  time_ms: number;
  model: string;
  version: number;
  latency_ms: number;
  inputs: unknown;
  outputs: Prediction[];
}

const base = "/api/v1/deployments";
const path = (name: string) => `${base}/${encodeURIComponent(name)}`;

export const listDeployments = () => get<{ deployments: Deployment[] }>(base).then((a) => a.deployments);

export const getDeployment = (name: string) => get<{ deployment: Deployment }>(path(name)).then((a) => a.deployment);

export const applyDeployment = (spec: DeploymentSpec) =>
  post<{ deployment: Deployment }>(base, spec).then((a) => a.deployment);

export const deleteDeployment = (name: string) => del(path(name));

export const listRequests = (name: string, sinceMs: number, limit = 1000) =>
  get<{ requests: LoggedRequest[] }>(`${path(name)}/requests`, {
    since_ms: Math.max(0, Math.floor(sinceMs)),
    limit,
  }).then((a) => a.requests);

export interface PredictAnswer {
  request_id: string;
  model: { name: string; version: number };
  predictions: Prediction[];
  /** Fields ignored, categories not seen in training (encoded as all zeros or missing). */
  warnings?: string[];
}

export const predict = (name: string, rows: Record<string, unknown>[]) =>
  request<PredictAnswer>("POST", `/serve/${encodeURIComponent(name)}/predict`, { rows });

/** One input column of the serving model's signature, from its OpenAPI `Row` schema. */
export interface SignatureColumn {
  name: string;
  type: "number" | "integer" | "boolean" | "string";
  nullable: boolean;
  values?: string[];
}

interface RowSchema {
  properties?: Record<string, { type?: string; nullable?: boolean; enum?: string[] }>;
  required?: string[];
}

/** The serving version's input columns, in the signature's order. */
export async function getSignature(name: string): Promise<SignatureColumn[]> {
  const doc = await get<{ components?: { schemas?: { Row?: RowSchema } } }>(
    `/serve/${encodeURIComponent(name)}/openapi.json`,
  );
  const row = doc.components?.schemas?.Row ?? {};
  const props = row.properties ?? {};
  const order = row.required?.length ? row.required : Object.keys(props);
  return order.map((column) => {
    const p = props[column] ?? {};
    const type = (
      ["number", "integer", "boolean"].includes(p.type ?? "") ? p.type : "string"
    ) as SignatureColumn["type"];
    return { name: column, type, nullable: p.nullable ?? false, values: p.enum };
  });
}

export const sendFeedback = (name: string, requestId: string, label: string | number) =>
  post<{ request_id: string; quality: Quality[] }>(`/serve/${encodeURIComponent(name)}/feedback`, {
    request_id: requestId,
    label,
  });
