// A pipeline run's page shows what the run produced without opening its tracking runs: the
// model version it registered (linked to the model's page), every step's metrics with their
// values, and its plots as pictures, for the iris example and for an inline step that writes
// a `plot` output (a picture stored without a file extension) and logs metrics by file.
import assert from "node:assert/strict";
import path from "node:path";

const MODULES = ["read-csv", "check", "split", "preprocess", "train-xgboost", "evaluate", "register"];

async function waitForRun(t, runId) {
  for (let i = 0; i < 1200; i++) {
    const run = await t.api("GET", `/api/v1/pipeline-runs/${runId}`);
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} did not finish`);
}

async function openResults(page, url) {
  await page.goto(url);
  await page.locator("[data-testid=run-results][data-loaded=true]").waitFor();
}

/** Every picture in the results is decoded by the browser (naturalWidth > 0). */
async function picturesDecoded(page) {
  await page.waitForFunction(() => {
    const images = [...document.querySelectorAll("[data-testid=result-plot-image]")];
    return images.length > 0 && images.every((i) => i.complete && i.naturalWidth > 0);
  });
}

export default async function (t) {
  const { page } = t;
  let iris;

  await t.step("run the iris example (modules published when the server has no library)", async () => {
    const listed = new Set((await t.api("GET", "/api/v1/modules")).modules.map((m) => m.name));
    for (const m of MODULES.filter((x) => !listed.has(x))) {
      await t.kiln(["module", "publish", path.join(t.repoRoot, "modules", m), "--server", t.baseUrl]);
    }
    const pipeline = path.join(t.repoRoot, "examples", "iris", "pipeline.yaml");
    const out = await t.kiln(["run", pipeline, "num_rounds=20", "--no-cache", "--json", "--server", t.baseUrl], {
      cwd: path.dirname(pipeline),
    });
    iris = await waitForRun(t, JSON.parse(out.stdout).runs[0].run_id);
    assert.equal(iris.status, "SUCCEEDED");
  });

  await t.step("the run's page shows each step's metrics with their values", async () => {
    await openResults(page, `${t.baseUrl}/pipeline-runs/${iris.run_id}`);
    const evaluate = iris.steps.find((s) => s.step === "evaluate");
    const logged = (await t.api("GET", `/api/v1/runs/${evaluate.run_id}`)).run.data.metrics;
    const accuracy = logged.find((m) => m.key === "accuracy");
    assert.ok(accuracy, "evaluate logged its accuracy");
    const row = page.locator("[data-testid=result-metric][data-step=evaluate][data-metric=accuracy]");
    const shown = Number(await row.getByTestId("result-metric-value").textContent());
    assert.ok(Math.abs(shown - accuracy.value) < 1e-6, `accuracy ${shown} shown, ${accuracy.value} logged`);
    const evaluateRows = page.locator("[data-testid=result-metric][data-step=evaluate]");
    assert.equal(await evaluateRows.count(), logged.length, "every metric evaluate logged");
    assert.ok((await page.locator("[data-testid=result-metric][data-step=train]").count()) > 0, "train's metrics too");
    assert.equal(await row.getByRole("link").getAttribute("href"), `/runs/${evaluate.run_id}`);
  });

  await t.step("the plots show as pictures", async () => {
    const plots = await page.getByTestId("result-plot").evaluateAll((fs) => fs.map((f) => f.dataset.name));
    assert.ok(plots.includes("plots/confusion_matrix.svg"), `plots: ${plots.join(", ")}`);
    assert.ok(plots.includes("plots/feature_importance.svg"), `plots: ${plots.join(", ")}`);
    await picturesDecoded(page);
  });

  await t.step("the registered model version is named and links to the model's page", async () => {
    const { model_versions: versions } = await t.api(
      "GET",
      `/api/2.0/mlflow/model-versions/search?filter=${encodeURIComponent(`run_id = '${iris.run_id}'`)}`,
    );
    assert.equal(versions.length, 1, "the register step made one version");
    const link = page.getByTestId("run-model-link");
    assert.equal(await link.count(), 1);
    assert.equal(await link.getAttribute("data-model"), "iris-classifier");
    assert.equal(await link.getAttribute("data-version"), versions[0].version);
    assert.equal(await link.textContent(), `iris-classifier v${versions[0].version}`);
    await t.screenshot("pipeline-run-results");
    await link.click();
    await page.waitForURL(new RegExp(`/models/iris-classifier\\?version=${versions[0].version}$`));
    await page.getByTestId("model-title").filter({ hasText: "iris-classifier" }).waitFor();
    assert.equal(await page.getByTestId("lineage-version").inputValue(), versions[0].version, "its lineage opens");
  });

  await t.step("an inline step's plot output (no file extension) and its metrics file show too", async () => {
    const svg = `<svg xmlns='http://www.w3.org/2000/svg' width='60' height='30'><rect width='60' height='30' fill='teal'/></svg>`;
    const script = `echo "${svg}" > \${outputs.chart}; echo '{"score": 0.8125, "step": 3}' >> "$KILN_METRICS_FILE"`;
    const spec = [
      `name: e2e-results-${Date.now().toString(36)}`,
      "steps:",
      "  draw:",
      `    command: ${JSON.stringify(["sh", "-c", script])}`,
      "    outputs: {chart: plot}",
      "",
    ].join("\n");
    const submitted = await t.api("POST", "/api/v1/pipeline-runs", { spec, use_cache: false });
    const run = await waitForRun(t, submitted.runs[0].run_id);
    assert.equal(run.status, "SUCCEEDED", run.error);
    await openResults(page, `${t.baseUrl}/pipeline-runs/${run.run_id}`);
    const row = page.locator("[data-testid=result-metric][data-step=draw][data-metric=score]");
    assert.match(await row.getByTestId("result-metric-value").textContent(), /^0\.8125 \(step 3\)$/);
    await page.locator("[data-testid=result-plot][data-step=draw][data-name=chart]").waitFor();
    await picturesDecoded(page);
    assert.equal(await page.getByTestId("run-models").count(), 0, "no model registered");
  });
}
