// A model version's lineage graph: the server traces it along the pipeline run that first
// produced the version's package (GET /api/v1/models/{name}/versions/{version}/lineage: one
// node per step run that computed something, cached re-uses folded into "reused by N runs",
// no steps of unrelated runs); this adds the deployments that serve the version. Positions
// are columns by distance from the model version.
import { getVersionLineage, type ModelVersion, type VersionLineage, type VersionLineageNode } from "../../api/models";
import { listDeployments, type Deployment } from "../../api/deployments";

export type LineageKind = "dataset" | "step_run" | "artifact" | "model_version" | "deployment" | "run";

export interface LineageNode {
  key: string;
  kind: LineageKind | string;
  id: string;
  label: string;
  note?: string; // a second line, e.g. "reused by 3 runs"
  href?: string;
  depth: number; // columns left of the model version (deployments: -1)
}

export interface LineageGraphData {
  nodes: LineageNode[];
  edges: { source: string; target: string; label: string }[];
}

const keyOf = (kind: string, id: string) => `${kind}:${id}`;

function hrefOf(kind: string, id: string): string | undefined {
  if (kind === "dataset") return `/datasets/${encodeURIComponent(id.split("@")[0])}`;
  if (kind === "step_run" || kind === "run") return `/runs/${encodeURIComponent(id)}`;
  if (kind === "deployment") return `/deployments/${encodeURIComponent(id)}`;
  if (kind === "model_version") return `/models/${encodeURIComponent(id.slice(0, id.lastIndexOf("/")))}`;
  return undefined;
}

/** "reused by 3 runs" for a step run whose results later runs took from the cache. */
export function reuseNote(reusedBy: number | undefined): string | undefined {
  if (!reusedBy) return undefined;
  return `reused by ${reusedBy} run${reusedBy === 1 ? "" : "s"}`;
}

function labelOf(n: VersionLineageNode, answer: VersionLineage, outputNames: Map<string, string>): string {
  switch (n.kind) {
    case "model_version":
      return `${answer.model_version.name} v${answer.model_version.version}`;
    case "step_run":
      return `${n.step ?? "step"} ${n.id.slice(0, 6)}`;
    case "run":
      return `run ${n.id.slice(0, 12)}`;
    case "artifact":
      return `${outputNames.get(n.id) ?? "file"} ${n.id.slice(0, 8)}`;
    default:
      return n.id;
  }
}

/** The graph of the server's answer: labels, links, and each node's distance upstream. */
export function lineageGraph(answer: VersionLineage): LineageGraphData {
  const outputNames = new Map<string, string>();
  for (const e of answer.edges) {
    if (e.dst_kind === "artifact") outputNames.set(e.dst_id, e.label.replace(/^output:/, ""));
    if (e.dst_kind === "model_version") outputNames.set(e.src_id, "model");
  }
  const into = new Map<string, string[]>(); // node -> the nodes with an edge into it
  for (const e of answer.edges) {
    const dst = keyOf(e.dst_kind, e.dst_id);
    into.set(dst, [...(into.get(dst) ?? []), keyOf(e.src_kind, e.src_id)]);
  }
  const depth = new Map<string, number>();
  const mv = answer.nodes.find((n) => n.kind === "model_version");
  let frontier = mv ? [keyOf(mv.kind, mv.id)] : [];
  frontier.forEach((k) => depth.set(k, 0));
  for (let d = 1; frontier.length > 0; d++) {
    const next = frontier.flatMap((k) => into.get(k) ?? []).filter((k) => !depth.has(k));
    next.forEach((k) => depth.set(k, d));
    frontier = [...new Set(next)];
  }
  const nodes = answer.nodes.map((n) => {
    const key = keyOf(n.kind, n.id);
    return {
      key,
      kind: n.kind,
      id: n.id,
      label: labelOf(n, answer, outputNames),
      note: reuseNote(n.reused_by),
      href: hrefOf(n.kind, n.id),
      depth: depth.get(key) ?? 0,
    };
  });
  const edges = answer.edges.map((e) => ({
    source: keyOf(e.src_kind, e.src_id),
    target: keyOf(e.dst_kind, e.dst_id),
    label: e.label,
  }));
  return { nodes, edges };
}

export async function buildLineage(version: ModelVersion): Promise<LineageGraphData> {
  const graph = lineageGraph(await getVersionLineage(version.name, version.version));
  const deployments = await listDeployments();
  const mv = keyOf("model_version", `${version.name}/${version.version}`);
  for (const d of deployments.filter((x) => servesVersion(x, version))) {
    const key = keyOf("deployment", d.name);
    graph.nodes.push({
      key,
      kind: "deployment",
      id: d.name,
      label: d.name,
      href: hrefOf("deployment", d.name),
      depth: -1,
    });
    graph.edges.push({ source: mv, target: key, label: "serves" });
  }
  return graph;
}

function servesVersion(d: Deployment, version: ModelVersion): boolean {
  const slots = [
    { ref: d.model, status: d.primary },
    { ref: d.canary ?? "", status: d.canary_status },
  ];
  return slots.some(({ ref, status }) => {
    const model = ref.split(/[@/]/)[0];
    const v = Number(version.version);
    return model === version.name && !!status && (status.serving_version === v || status.target_version === v);
  });
}
