// A saved pipeline: its DAG, its YAML, its runs (a page at a time) and the run panel.
import { useMemo } from "react";
import { Link, useParams } from "react-router-dom";
import { getPipeline, listPipelineRuns } from "../../api/pipelines";
import { useApi } from "../../api/useApi";
import { ErrorBanner, Loading } from "../../components/Status";
import { formatTime } from "../../components/format";
import { DagCanvas } from "./DagCanvas";
import { RunPanel } from "./RunPanel";
import { RunTable } from "./RunTable";
import { useManifests } from "./manifests";
import { parseSpec, type PipelineSpec } from "./spec";
import { Pager, usePageTokens } from "../../components/Pager";
import "./pipelines.css";

function safeParse(text: string | undefined): { spec?: PipelineSpec; error?: Error } {
  if (text === undefined) return {};
  try {
    return { spec: parseSpec(text) };
  } catch (e) {
    return { error: e as Error };
  }
}

export function PipelineView() {
  const name = useParams().name ?? "";
  const saved = useApi(() => getPipeline(name), [name]);
  const { spec, error: parseError } = useMemo(() => safeParse(saved.data?.spec), [saved.data?.spec]);
  const manifests = useManifests(spec?.steps.flatMap((s) => (s.uses ? [s.uses] : [])) ?? []);
  const pages = usePageTokens(name);
  const runs = useApi(() => listPipelineRuns({ pipeline: name }, 20, pages.token), [name, pages.token], 5000);

  return (
    <div>
      <div className="toolbar">
        <h1 style={{ margin: 0 }} data-testid="pipeline-name">
          {name}
        </h1>
        <span className="spacer" />
        <Link to={`/pipelines/${encodeURIComponent(name)}/edit`} className="button" data-testid="edit-pipeline">
          Edit
        </Link>
      </div>
      <ErrorBanner error={saved.error ?? parseError} />
      {!saved.data && !saved.error && <Loading what="the pipeline" />}
      {spec && (
        <>
          {spec.description && <p className="muted">{spec.description}</p>}
          <DagCanvas steps={spec.steps} manifests={manifests} />
          <div className="grid2" style={{ marginTop: "1rem" }}>
            <RunPanel pipeline={name} params={spec.params} onSubmitted={runs.reload} />
            <div className="panel">
              <h2 style={{ marginTop: 0 }}>YAML</h2>
              <p className="muted">
                {saved.data?.file} · updated {formatTime(saved.data?.updated_ms)}
              </p>
              <pre className="yaml-view" data-testid="pipeline-yaml">
                {saved.data?.spec}
              </pre>
            </div>
          </div>
        </>
      )}
      <h2>Runs</h2>
      <ErrorBanner error={runs.error} />
      {runs.data && <RunTable runs={runs.data.items} />}
      <Pager pages={pages} nextToken={runs.data?.next_page_token} />
    </div>
  );
}
