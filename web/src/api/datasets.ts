// Datasets and their versions (GET /api/v1/datasets...), see docs/datasets.md.
import type { TreeFile } from "./blobs";
import { get } from "./client";

export interface DatasetSummary {
  name: string;
  description: string;
  latest_version: number;
  created_ms: number;
  updated_ms: number;
  latest_size_bytes: number;
}

export interface DatasetVersion {
  name: string;
  version: number;
  digest: string;
  kind: "file" | "folder" | string;
  size_bytes: number;
  file_count: number;
  source: string;
  description?: string;
  created_ms: number;
  files?: TreeFile[];
}

const path = (name: string) => `/api/v1/datasets/${encodeURIComponent(name)}`;

export const listDatasets = () =>
  get<{ datasets?: DatasetSummary[] }>("/api/v1/datasets").then((a) => a.datasets ?? []);

export const listDatasetVersions = (name: string) =>
  get<{ versions: DatasetVersion[] }>(`${path(name)}/versions`).then((a) => a.versions);

export const getDatasetVersion = (name: string, version: number | "latest") =>
  get<{ version: DatasetVersion }>(`${path(name)}/versions/${version}`).then((a) => a.version);
