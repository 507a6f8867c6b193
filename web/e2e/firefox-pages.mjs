// The pages e2e/firefox.mjs opens, each with the proof that its data arrived. `ready` runs in the
// page (so it must be self-contained; its arguments come from `args(seeded)`) and is polled until
// it returns true. `interact` (optional) drives the page through a Tab (e2e/bidi.mjs) afterwards.

/** Try it on /deployments/iris: a setosa flower must be predicted as setosa. */
async function tryPrediction(tab) {
  const flower = { sepal_length: "5.1", sepal_width: "3.5", petal_length: "1.4", petal_width: "0.2" };
  for (const [column, value] of Object.entries(flower)) {
    await tab.fill(`[data-testid=try-input-${column}]`, value);
  }
  await tab.waitFor(
    "the typed values in the form",
    (f) => Object.entries(f).every(([c, v]) => document.querySelector(`[data-testid=try-input-${c}]`)?.value === v),
    [flower],
  );
  await tab.click("[data-testid=try-submit]");
  const shown = await tab.waitFor(
    "a prediction",
    () => document.querySelector("[data-testid=try-predicted]")?.textContent,
  );
  if (!shown.includes("setosa")) throw new Error(`predicted '${shown}', expected setosa`);
}

/** On the evaluate step's run page: open its "plots" output and wait for its pictures (SVG). */
async function openPlots(tab) {
  await tab.click("[data-testid=run-outputs] [data-testid=output-entry][data-output=plots] [data-testid=output-open]");
  await tab.waitFor("the two pictures of the plots output, loaded", () => {
    const images = [...document.querySelectorAll("[data-testid=run-outputs] [data-testid=folder-image]")];
    return images.length === 2 && images.every((i) => i.complete && i.naturalWidth > 0);
  });
}

export const pages = [
  {
    name: "pipelines",
    path: () => "/pipelines",
    what: "the pipeline row of iris",
    ready: () =>
      [...document.querySelectorAll("[data-testid=pipeline-row]")].some((r) => r.textContent.includes("iris")),
  },
  {
    name: "pipeline",
    path: () => "/pipelines/iris",
    what: "seven step nodes on the canvas and two runs",
    ready: () =>
      document.querySelectorAll("[data-testid=dag-canvas] .react-flow__node").length === 7 &&
      document.querySelectorAll("[data-testid=pipeline-run-row]").length >= 2,
  },
  {
    name: "pipeline-new",
    path: () => "/pipelines/new",
    what: "the module palette and the editor canvas",
    ready: () =>
      document.querySelectorAll("[data-testid=palette] .palette-item").length >= 5 &&
      !!document.querySelector("[data-testid=editor-canvas] .react-flow__viewport"),
  },
  {
    name: "pipeline-edit",
    path: () => "/pipelines/iris/edit",
    what: "all seven steps inside the editor's canvas, and labelled param boxes",
    ready: () => {
      const canvas = document.querySelector("[data-testid=editor-canvas]")?.getBoundingClientRect();
      const nodes = [...document.querySelectorAll("[data-testid=editor-canvas] .react-flow__node")];
      const inside = (r) =>
        r.left >= canvas.left && r.top >= canvas.top && r.right <= canvas.right && r.bottom <= canvas.bottom;
      return (
        !!canvas &&
        nodes.length === 7 &&
        nodes.every((n) => inside(n.getBoundingClientRect())) &&
        !!document.querySelector("[data-testid=pipeline-param-max_depth] select[aria-label='max_depth type']")
      );
    },
  },
  {
    name: "pipeline-run",
    path: (s) => `/pipeline-runs/${s.pipelineRunId}`,
    what: "a succeeded run with all seven steps done, its metrics, plots and registered model",
    ready: () => {
      const nodes = [...document.querySelectorAll("[data-testid^=step-node-]")];
      const images = [...document.querySelectorAll("[data-testid=result-plot-image]")];
      return (
        document.querySelector("[data-testid=run-status]")?.dataset.status === "SUCCEEDED" &&
        nodes.length === 7 &&
        nodes.every((n) => n.dataset.status) &&
        !!document.querySelector("[data-testid=result-metric][data-step=evaluate][data-metric=accuracy]") &&
        images.length >= 2 &&
        images.every((i) => i.complete && i.naturalWidth > 0) &&
        !!document.querySelector("[data-testid=run-model-link][data-model=iris-classifier]")
      );
    },
  },
  {
    name: "experiments",
    path: () => "/experiments",
    what: "the experiment row of iris",
    ready: () =>
      [...document.querySelectorAll("[data-testid=experiment-row]")].some((r) => r.textContent.includes("iris")),
  },
  {
    name: "experiment-runs",
    path: (s) => `/experiments/${s.experimentId}`,
    what: "the sweep's run rows",
    ready: () => document.querySelectorAll("[data-testid=run-row]").length >= 2,
  },
  {
    name: "run",
    path: (s) => `/runs/${s.trainRunId}`,
    what: "the train step's run with its metrics and a chart",
    ready: () =>
      !!document.querySelector("[data-testid=metrics-section][data-loaded=true]") &&
      document.querySelectorAll("[data-testid=run-metrics-row]").length > 0 &&
      !!document.querySelector("[data-testid=metric-chart] canvas"),
  },
  {
    name: "run-evaluate",
    path: (s) => `/runs/${s.evaluateRunId}`,
    what: "the evaluate step's outputs, then its plots opened and a picture drawn",
    ready: () => document.querySelectorAll("[data-testid=run-outputs] [data-testid=output-entry]").length >= 3,
    interact: openPlots,
  },
  {
    name: "compare",
    path: (s) => `/compare?runs=${s.compareIds.join(",")}`,
    what: "the metrics table, a chart of two runs and the parallel chart's labels",
    ready: () =>
      document.querySelectorAll("[data-testid=compare-metrics-row]").length > 0 &&
      !!document.querySelector("[data-testid=run-compare] canvas") &&
      document.querySelectorAll("[data-testid=parallel-chart] svg text").length > 2,
  },
  {
    name: "models",
    path: () => "/models",
    what: "the model row of iris-classifier",
    ready: () =>
      [...document.querySelectorAll("[data-testid=model-row]")].some((r) => r.textContent.includes("iris-classifier")),
  },
  {
    name: "model",
    path: () => "/models/iris-classifier",
    what: "two versions and the lineage graph",
    ready: () =>
      document.querySelectorAll("[data-testid=version-row]").length >= 2 &&
      document.querySelectorAll("[data-testid=lineage-node]").length > 0,
  },
  {
    name: "deployments",
    path: () => "/deployments",
    what: "the deployment row of iris",
    ready: () =>
      [...document.querySelectorAll("[data-testid=deployment-row]")].some((r) => r.textContent.includes("iris")),
  },
  {
    name: "deployment",
    path: () => "/deployments/iris",
    what: "the deployment's state and the Try it form",
    ready: () =>
      !!document.querySelector("[data-testid=deployment-state]")?.textContent &&
      !!document.querySelector("[data-testid=try-input-petal_width]"),
    interact: tryPrediction,
  },
  {
    name: "datasets",
    path: () => "/datasets",
    what: "the dataset row of iris",
    ready: () =>
      [...document.querySelectorAll("[data-testid=dataset-row]")].some((r) => r.textContent.includes("iris")),
  },
  {
    name: "modules",
    path: () => "/modules",
    what: "module rows including train-xgboost",
    ready: () =>
      [...document.querySelectorAll("[data-testid=module-row]")].some((r) => r.textContent.includes("train-xgboost")),
  },
  {
    name: "module",
    path: () => "/modules/train-xgboost",
    what: "the module's parameters",
    ready: () =>
      !!document.querySelector("[data-testid=module-title]") &&
      document.querySelectorAll("[data-testid=module-params] tr").length > 1,
  },
];
