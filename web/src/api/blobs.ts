// The content-addressed store (docs/api.md "Datasets and blobs"): stored blobs, the folders
// (trees) and Kiln tables that pipeline outputs and dataset versions name by digest.
import { get } from "./client";

/** One file of a stored folder (a folder output, a folder dataset version). */
export interface TreeFile {
  path: string;
  digest: string;
  size: number;
  executable: boolean;
}

/** The first rows of a stored Kiln table (`null` is a missing cell). */
export interface TablePreviewData {
  row_count: number;
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

export const getTree = (digest: string) =>
  get<{ files?: TreeFile[] }>(`/api/v1/trees/${encodeURIComponent(digest)}`).then((a) => a.files ?? []);

export const getTable = (digest: string, limit: number) =>
  get<TablePreviewData>(`/api/v1/tables/${encodeURIComponent(digest)}`, { limit });

/** The URL of a stored blob's bytes. */
export const blobUrl = (digest: string) => `/api/v1/blobs/${encodeURIComponent(digest)}`;
