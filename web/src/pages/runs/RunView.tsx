// A run's page: header (status, times, pipeline links, register button), params, metrics
// with a chart per metric, tags, the pipeline step outputs and artifacts with previews, and
// the step logs live.
import { useState } from "react";
import { useParams } from "react-router-dom";
import { getRun, pipelineLinkOf, quoteFilterString, searchRuns } from "../../api/runs";
import { useApi } from "../../api/useApi";
import { ErrorBanner, Loading } from "../../components/Status";
import { RunHeader } from "./RunHeader";
import { KeyValues } from "./KeyValues";
import { MetricsSection } from "./MetricsSection";
import { ArtifactBrowser } from "./ArtifactBrowser";
import { OutputsSection } from "./OutputsSection";
import { StepLogs } from "./StepLogs";
import "./runs.css";

export function RunView() {
  const runId = useParams().runId ?? "";
  const [live, setLive] = useState(false);
  const run = useApi(() => getRun(runId), [runId], live ? 3000 : undefined);
  const children = useApi(
    () =>
      searchRuns({
        filter: `tags."mlflow.parentRunId" = ${quoteFilterString(runId)}`,
        orderBy: "attributes.start_time ASC",
        maxResults: 200,
      }),
    [runId],
    live ? 3000 : undefined,
  );
  const status = run.data?.info.status;
  const running = status === "RUNNING" || status === "SCHEDULED";
  if (running !== live) setLive(running); // poll while the run runs

  if (!run.data) {
    return run.error ? <ErrorBanner error={run.error} /> : <Loading what="the run" />;
  }
  const pipeline = pipelineLinkOf(run.data);
  return (
    <div data-testid="run-view">
      <RunHeader run={run.data} childRuns={children.data?.runs ?? []} />
      <ErrorBanner error={run.error ?? children.error} />
      <div className="grid2">
        <section className="panel">
          <h2>Params</h2>
          <KeyValues items={run.data.data.params ?? []} testId="run-params" empty="No params." />
        </section>
        <section className="panel">
          <h2>Tags</h2>
          <KeyValues items={run.data.data.tags ?? []} testId="run-tags" empty="No tags." />
        </section>
      </div>
      <MetricsSection run={run.data} live={live} />
      {pipeline && (
        <OutputsSection key={runId} pipelineRunId={pipeline.pipelineRunId} step={pipeline.step} live={live} />
      )}
      <ArtifactBrowser run={run.data.info} />
      {pipeline && <StepLogs pipelineRunId={pipeline.pipelineRunId} step={pipeline.step} />}
    </div>
  );
}
