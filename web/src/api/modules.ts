// The module library: GET /api/v1/modules[/NAME] (docs/api.md, "Modules").
import type { TreeFile } from "./blobs";
import { get } from "./client";

export interface ModuleParam {
  name: string;
  type: "int" | "float" | "string" | "bool" | "enum" | "list" | string;
  default?: unknown;
  min?: number;
  max?: number;
  items?: string; // lists only
  values?: string[]; // enums only
  required: boolean;
  help: string;
}

export interface ModulePort {
  name: string;
  type: string; // artifact type: table, model, preprocess, report, ...
  description: string;
  optional?: boolean;
}

export interface ModuleSummary {
  name: string;
  latest_version: string;
  versions: string[];
  description: string;
}

export interface ModuleManifest {
  name: string;
  version: string;
  description: string;
  params: ModuleParam[];
  inputs: ModulePort[];
  outputs: ModulePort[];
  runner: { kind: string; builtin?: string; command?: string[]; env: Record<string, string> };
  files: TreeFile[];
  files_digest: string;
  created_ms: number;
  versions: string[];
  manifest_yaml: string;
}

export const listModules = () => get<{ modules: ModuleSummary[] }>("/api/v1/modules").then((a) => a.modules);

export const getModule = (name: string, version?: string) =>
  get<{ module: ModuleManifest }>(`/api/v1/modules/${name.split("/").map(encodeURIComponent).join("/")}`, {
    version,
  }).then((a) => a.module);
