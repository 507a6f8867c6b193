// What a pipeline run produced, on its own page: the model versions it registered (linked),
// the metrics each step run logged with their values, and the pictures its steps stored
// (`plot` outputs and the images in `dir`/`plot` folder outputs). A few requests whatever the
// number of steps: the step runs in one search, the versions in one search (per 200 steps),
// a listing per folder output, then the pictures themselves.
import { Link } from "react-router-dom";
import { getTree } from "../../api/blobs";
import { searchModelVersions, type ModelVersion } from "../../api/models";
import { TERMINAL_STATES, type PipelineRun, type PipelineStep } from "../../api/pipelines";
import { metricNumber, quoteFilterString, runsByIds } from "../../api/runs";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBanner } from "../../components/Status";
import { formatNumber } from "../../components/format";
import { StoredImage } from "../../components/StoredImage";
import { resultMetrics, resultPictures, type ResultMetric, type ResultPicture } from "./results";

const MAX_PICTURES = 12;

export function RunResults({ run }: { run: PipelineRun }) {
  const steps = run.steps ?? [];
  // Loaded again when a step finishes (or the run does), not on every event.
  const progress = `${run.status}|${steps.map((s) => `${s.step}:${s.run_id}:${s.status}`).join(",")}`;
  const idList = [run.run_id, ...steps.flatMap((s) => (s.run_id ? [s.run_id] : []))].join(",");
  /* eslint-disable react-hooks/exhaustive-deps -- loaded again as steps finish (progress) */
  const tracked = useApi(() => inBatches(idList.split(","), runsByIds), [idList, progress]);
  const versions = useApi(() => inBatches(idList.split(","), versionsOfRuns), [idList, progress]);
  const pictures = useApi(() => loadPictures(steps), [progress]);
  /* eslint-enable react-hooks/exhaustive-deps */
  const metrics = resultMetrics(run, tracked.data ?? []);
  const cachedWithout = steps.filter((s) => s.cached && !metrics.some((m) => m.step === s.step)).map((s) => s.step);
  const finished = TERMINAL_STATES.includes(run.status);
  const shown = pictures.data ?? [];
  const nothing =
    tracked.data && versions.data && pictures.data && !metrics.length && !shown.length && !versions.data.length;

  return (
    <section
      className="panel"
      data-testid="run-results"
      data-loaded={Boolean(tracked.data && versions.data && pictures.data)}
    >
      <h2>Results</h2>
      <ErrorBanner error={tracked.error ?? versions.error ?? pictures.error} />
      <ModelVersions versions={versions.data ?? []} />
      {nothing && (
        <Empty>
          {finished
            ? "This run logged no metrics, stored no pictures and registered no model."
            : "Results appear as the steps finish."}
        </Empty>
      )}
      <div className="results-grid">
        {metrics.length > 0 && (
          <div>
            <h3>Metrics</h3>
            <MetricTable rows={metrics} />
          </div>
        )}
        {shown.length > 0 && (
          <div>
            <h3>Plots</h3>
            {shown.length > MAX_PICTURES && (
              <p className="muted">
                The first {MAX_PICTURES} of {shown.length} pictures.
              </p>
            )}
            <div className="gallery">
              {shown.slice(0, MAX_PICTURES).map((p) => (
                <figure
                  key={p.key}
                  className="gallery-item"
                  data-testid="result-plot"
                  data-step={p.step}
                  data-name={p.name}
                >
                  <StoredImage url={p.url} path={p.path} testId="result-plot-image" />
                  <figcaption className="mono">
                    {p.step} · {p.name}
                  </figcaption>
                </figure>
              ))}
            </div>
          </div>
        )}
      </div>
      {cachedWithout.length > 0 && (
        <p className="muted" data-testid="results-cached-note">
          From the cache, without metrics of their own: {cachedWithout.join(", ")}.
        </p>
      )}
    </section>
  );
}

/** A search per ID_BATCH ids: a filter naming every step run of a big DAG would not fit a URL. */
const ID_BATCH = 200;

async function inBatches<T>(ids: string[], load: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  const batches = [];
  for (let i = 0; i < ids.length; i += ID_BATCH) batches.push(ids.slice(i, i + ID_BATCH));
  return (await Promise.all(batches.map(load))).flat();
}

const versionsOfRuns = (ids: string[]) =>
  searchModelVersions(`run_id IN (${ids.map(quoteFilterString).join(", ")})`, 1000);

/** Folder outputs listed for pictures: the first ones in step order (a big DAG has many). */
const MAX_FOLDERS = 20;

async function loadPictures(steps: PipelineStep[]): Promise<ResultPicture[]> {
  const folders = steps
    .flatMap((s) => s.outputs.filter((o) => o.folder && (o.type === "dir" || o.type === "plot")))
    .slice(0, MAX_FOLDERS);
  const trees = await Promise.all(folders.map((o) => getTree(o.digest)));
  return resultPictures(steps, new Map(folders.map((o, i) => [o.digest, trees[i]])));
}

function ModelVersions({ versions }: { versions: ModelVersion[] }) {
  if (!versions.length) return null;
  return (
    <p data-testid="run-models">
      <b>Registered </b>
      {versions.map((v, i) => (
        <span key={`${v.name}/${v.version}`}>
          {i > 0 && ", "}
          <Link
            to={`/models/${encodeURIComponent(v.name)}?version=${encodeURIComponent(v.version)}`}
            data-testid="run-model-link"
            data-model={v.name}
            data-version={v.version}
          >
            {v.name} v{v.version}
          </Link>
          {(v.aliases ?? []).map((a) => (
            <span key={a} className="muted">
              {" "}
              @{a}
            </span>
          ))}
        </span>
      ))}
    </p>
  );
}

function MetricTable({ rows }: { rows: ResultMetric[] }) {
  return (
    <table className="data" data-testid="result-metrics">
      <thead>
        <tr>
          <th>Step</th>
          <th>Metric</th>
          <th className="num">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((m, i) => (
          <tr key={`${m.step}/${m.key}`} data-testid="result-metric" data-step={m.step} data-metric={m.key}>
            <td>{i === 0 || rows[i - 1].step !== m.step ? <Link to={`/runs/${m.runId}`}>{m.step}</Link> : null}</td>
            <td className="mono">{m.key}</td>
            <td className="num" data-testid="result-metric-value">
              {formatNumber(metricNumber(m.value), 6)}
              {m.at > 0 && <span className="muted"> (step {m.at})</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
