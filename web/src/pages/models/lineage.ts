// Builds a model version's lineage graph by walking GET /api/v1/lineage upstream from its
// package (artifact <- step run <- artifacts/datasets <- ...) and adding the deployments that
// serve the version. Positions are columns by distance from the model version.
import { getLineage, packageDigest, type ModelVersion } from "../../api/models";
import { getRun } from "../../api/runs";
import { listDeployments, type Deployment } from "../../api/deployments";

export type LineageKind = "dataset" | "step_run" | "artifact" | "model_version" | "deployment";

export interface LineageNode {
  key: string;
  kind: LineageKind | string;
  id: string;
  label: string;
  href?: string;
  depth: number; // columns left of the model version (deployments: -1)
}

export interface LineageGraphData {
  nodes: LineageNode[];
  edges: { source: string; target: string; label: string }[];
  truncated: boolean;
}

const maxNodes = 80;
const keyOf = (kind: string, id: string) => `${kind}:${id}`;

function hrefOf(kind: string, id: string): string | undefined {
  if (kind === "dataset") return `/datasets/${encodeURIComponent(id.split("@")[0])}`;
  if (kind === "step_run") return `/runs/${encodeURIComponent(id)}`;
  if (kind === "deployment") return `/deployments/${encodeURIComponent(id)}`;
  return undefined;
}

function labelOf(kind: string, id: string): string {
  if (kind === "artifact" || kind === "step_run") return id.slice(0, 12);
  return id;
}

export async function buildLineage(version: ModelVersion): Promise<LineageGraphData> {
  const graph: LineageGraphData = { nodes: [], edges: [], truncated: false };
  const seen = new Map<string, LineageNode>();
  const add = (kind: string, id: string, depth: number, label?: string) => {
    const key = keyOf(kind, id);
    if (!seen.has(key)) {
      const node = { key, kind, id, depth, label: label ?? labelOf(kind, id), href: hrefOf(kind, id) };
      seen.set(key, node);
      graph.nodes.push(node);
    }
    return seen.get(key)!;
  };
  const mv = add("model_version", `${version.name}/${version.version}`, 0, `${version.name} v${version.version}`);
  mv.href = `/models/${encodeURIComponent(version.name)}`;
  const digest = packageDigest(version.source);
  if (digest) {
    add("artifact", digest, 1, `model ${digest.slice(0, 12)}`);
    graph.edges.push({ source: keyOf("artifact", digest), target: mv.key, label: "source" });
    await walkUpstream(graph, seen, add, [seen.get(keyOf("artifact", digest))!]);
  }
  await addDeployments(graph, add, mv, version);
  await nameStepRuns(graph.nodes.filter((n) => n.kind === "step_run"));
  return graph;
}

type Adder = (kind: string, id: string, depth: number, label?: string) => LineageNode;

async function walkUpstream(graph: LineageGraphData, seen: Map<string, LineageNode>, add: Adder, start: LineageNode[]) {
  let frontier = start;
  const edgeKeys = new Set<string>();
  while (frontier.length > 0) {
    const answers = await Promise.all(frontier.map((n) => getLineage(n.kind, n.id)));
    const next: LineageNode[] = [];
    answers.forEach((edges, i) => {
      const node = frontier[i];
      for (const e of edges) {
        if (e.dst_kind !== node.kind || e.dst_id !== node.id) continue;
        const isNew = !seen.has(keyOf(e.src_kind, e.src_id));
        if (isNew && seen.size >= maxNodes) {
          graph.truncated = true;
          continue;
        }
        const label =
          e.src_kind === "artifact" ? `${e.label.replace(/^input:/, "")} ${e.src_id.slice(0, 8)}` : undefined;
        const src = add(e.src_kind, e.src_id, node.depth + 1, label);
        const edgeKey = `${src.key}>${node.key}`;
        if (!edgeKeys.has(edgeKey)) {
          edgeKeys.add(edgeKey);
          graph.edges.push({ source: src.key, target: node.key, label: e.label });
        }
        if (isNew) next.push(src);
      }
    });
    frontier = next;
  }
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

async function addDeployments(graph: LineageGraphData, add: Adder, mv: LineageNode, version: ModelVersion) {
  const deployments = await listDeployments();
  for (const d of deployments.filter((x) => servesVersion(x, version))) {
    const node = add("deployment", d.name, -1);
    graph.edges.push({ source: mv.key, target: node.key, label: "serves" });
  }
}

/** Step runs are labelled by their step name (the run's name), best effort. */
async function nameStepRuns(nodes: LineageNode[]) {
  await Promise.all(
    nodes.map(async (n) => {
      try {
        const run = await getRun(n.id);
        n.label = `${run.info.run_name} ${n.id.slice(0, 6)}`;
      } catch {
        // keep the short id
      }
    }),
  );
}
