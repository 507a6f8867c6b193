// The top of a run's page: name, status, times, duration, parent/children and pipeline links,
// and the button that registers the run's model.
import { Link } from "react-router-dom";
import { getExperiment, pipelineLinkOf, type Run, tagOf } from "../../api/runs";
import { useApi } from "../../api/useApi";
import { StateBadge } from "../../components/Status";
import { formatDuration, formatTime } from "../../components/format";
import { useNow } from "../../components/useNow";
import { RegisterModelButton } from "../../components/RegisterModelButton";

export function RunHeader({ run, childRuns }: { run: Run; childRuns: Run[] }) {
  const { info } = run;
  const now = useNow(info.status === "RUNNING");
  const end = info.end_time ?? (info.status === "RUNNING" ? now : undefined);
  const duration = end && info.start_time ? end - info.start_time : undefined;
  const parent = tagOf(run, "mlflow.parentRunId");
  const pipeline = pipelineLinkOf(run);
  const experiment = useApi(() => getExperiment(info.experiment_id), [info.experiment_id]);
  return (
    <div className="panel">
      <div className="run-header">
        <div className="grow">
          <div className="muted">
            experiment{" "}
            <Link to={`/experiments/${encodeURIComponent(info.experiment_id)}`} data-testid="experiment-link">
              {experiment.data?.name ?? info.experiment_id}
            </Link>{" "}
            › run
          </div>
          <h1 data-testid="run-name">
            {info.run_name || info.run_id} <StateBadge state={info.status} />
          </h1>
          <div className="run-meta">
            <span className="mono">{info.run_id}</span>
            <span>
              started <b>{formatTime(info.start_time)}</b>
            </span>
            <span>
              ended <b>{formatTime(info.end_time)}</b>
            </span>
            <span>
              duration <b data-testid="run-duration">{formatDuration(duration)}</b>
            </span>
            {info.user_id && <span>by {info.user_id}</span>}
          </div>
        </div>
        <RegisterModelButton runId={info.run_id} />
      </div>
      <div className="run-meta run-links">
        {parent && (
          <span>
            parent run{" "}
            <Link to={`/runs/${parent}`} data-testid="parent-link" className="mono">
              {parent}
            </Link>
          </span>
        )}
        {pipeline && (
          <span>
            pipeline run{" "}
            <Link to={`/pipeline-runs/${pipeline.pipelineRunId}`} data-testid="pipeline-run-link">
              {tagOf(run, "kiln.pipeline") ?? pipeline.pipelineRunId.slice(0, 8)}
            </Link>
            {pipeline.step && (
              <>
                {" "}
                · step <b>{pipeline.step}</b>
              </>
            )}
          </span>
        )}
        {tagOf(run, "kiln.sweep_id") && (
          <span>
            sweep{" "}
            <Link to={`/compare?sweep=${tagOf(run, "kiln.sweep_id")}`} data-testid="sweep-link">
              compare its runs
            </Link>
          </span>
        )}
      </div>
      {childRuns.length > 0 && (
        <div className="run-meta run-children" data-testid="run-children">
          <span>steps:</span>
          {childRuns.map((c) => (
            <Link key={c.info.run_id} to={`/runs/${c.info.run_id}`} data-testid="child-link">
              {c.info.run_name} <StateBadge state={c.info.status} />
            </Link>
          ))}
        </div>
      )}
    </div>
  );
}
