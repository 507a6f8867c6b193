// Runs area end to end: an iris sweep seeded through the CLI, then the run table (filter,
// server errors, sorting), a run's page (params, charts, artifacts, previews, live step logs),
// the pipeline step outputs on a step's and on the parent's run page (pictures, the
// predictions table, the report), and the comparison of the sweep's runs.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

/** A small valid PNG (a colour gradient), built by hand so the test needs no files. */
function gradientPng(w = 48, h = 24) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < h; y++) {
    rows.push(0);
    for (let x = 0; x < w; x++) rows.push((x * 5) % 256, (y * 10) % 256, 160);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(Buffer.from(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

async function putArtifact(t, run, relPath, body) {
  const root = run.info.artifact_uri.replace(/^mlflow-artifacts:\/+/, "");
  const response = await fetch(`${t.baseUrl}/api/2.0/mlflow-artifacts/artifacts/${root}/${relPath}`, {
    method: "PUT",
    body,
  });
  assert.equal(response.status, 200, `upload ${relPath}: ${await response.text()}`);
}

async function seed(t) {
  for (const dir of readdirSync(path.join(t.repoRoot, "modules"), { withFileTypes: true })) {
    if (dir.isDirectory())
      await t.kiln(["module", "publish", path.join(t.repoRoot, "modules", dir.name), "--server", t.baseUrl]);
  }
  const pipeline = path.join(t.repoRoot, "examples", "iris", "pipeline.yaml");
  const out = await t.kiln(["run", pipeline, "-m", "max_depth=2,3", "--no-cache", "--json", "--server", t.baseUrl], {
    cwd: path.dirname(pipeline),
  });
  const runs = JSON.parse(out.stdout).runs;
  assert.equal(runs.length, 2);
  const [a, b] = runs.map((r) => r.run_id);
  const sweepId = runs[0].sweep_id;
  assert.ok(sweepId, "the sweep has an id");
  const runA = (await t.api("GET", `/api/v1/runs/${a}`)).run;
  // A metric over steps in both runs, so the comparison overlays lines.
  for (const [id, scale] of [
    [a, 1],
    [b, 0.8],
  ]) {
    const metrics = Array.from({ length: 12 }, (_, s) => ({
      key: "train_loss",
      value: scale / (s + 1),
      step: s,
      timestamp: Date.now(),
    }));
    await t.api("POST", "/api/2.0/mlflow/runs/log-batch", { run_id: id, metrics });
  }
  await putArtifact(t, runA, "report/notes.txt", "iris sweep notes: max_depth=2\nsecond line\n");
  await putArtifact(t, runA, "report/gradient.png", gradientPng());
  await putArtifact(
    t,
    runA,
    "report/predictions.csv",
    "id,predicted,actual\n" + Array.from({ length: 150 }, (_, i) => `${i},setosa,virginica`).join("\n"),
  );
  return { a, b, sweepId, experimentId: runA.info.experiment_id };
}

const rowIds = (page) => page.getByTestId("run-row").evaluateAll((rows) => rows.map((r) => r.dataset.runId));
const cellNumbers = (page, column) =>
  page.getByTestId(`cell-${column}`).evaluateAll((cells) => cells.map((c) => Number(c.textContent)));

export default async function (t) {
  const { page } = t;
  let s;
  await t.step("seed an iris sweep through the CLI", async () => {
    s = await seed(t);
  });
  const tableUrl = `${t.baseUrl}/experiments/${s.experimentId}`;

  await t.step("open the experiment's run table", async () => {
    await page.goto(`${t.baseUrl}/experiments`);
    await page.getByTestId("experiment-table").getByRole("link", { name: "iris", exact: true }).click();
    await page.getByTestId("run-row").first().waitFor();
    assert.match(page.url(), new RegExp(`/experiments/${s.experimentId}$`));
    assert.ok((await rowIds(page)).includes(s.a));
    await t.screenshot("runs-table");
  });

  await t.step("a filter with an open quote is refused before sending", async () => {
    await page.getByTestId("run-filter").fill("params.max_depth = '2");
    await page.getByTestId("run-filter-apply").click();
    await page.getByTestId("run-filter-error").waitFor();
    assert.match(await page.getByTestId("run-filter-error").textContent(), /filter: the quote ' is never closed/);
    assert.ok(!page.url().includes("filter="), "nothing was applied");
  });

  await t.step("a malformed filter shows the server's message", async () => {
    await page.getByTestId("run-filter").fill("metrics.accuracy >> 0.5");
    await page.getByTestId("run-filter-apply").click();
    const banner = page.getByTestId("error-banner").filter({ hasText: "invalid filter" });
    await banner.waitFor();
    assert.match(await banner.textContent(), /invalid filter at position \d+/);
  });

  await t.step("a valid filter narrows the rows", async () => {
    const all = (await t.api("GET", `/api/v1/runs?experiment_id=${s.experimentId}&max_results=1000`)).runs.length;
    const filter = "metrics.accuracy > 0.5";
    const expected = (
      await t.api(
        "GET",
        `/api/v1/runs?experiment_id=${s.experimentId}&max_results=1000&filter=${encodeURIComponent(filter)}`,
      )
    ).runs;
    await page.getByTestId("run-filter").fill(filter);
    await page.getByTestId("run-filter-apply").click();
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=run-row]").length === n, expected.length);
    assert.ok(expected.length >= 2 && expected.length < all, `${expected.length} of ${all} runs match`);
    assert.equal(await page.getByTestId("error-banner").count(), 0);
    assert.deepEqual((await rowIds(page)).sort(), expected.map((r) => r.info.run_id).sort());
  });

  await t.step("sorting by a metric orders the rows on the server", async () => {
    await page.getByTestId("sort-metrics.log_loss").click();
    await page.waitForURL(/order=metrics.log_loss(\+|%20)DESC/);
    await page.getByTestId("sort-metrics.log_loss").filter({ hasText: "▼" }).waitFor();
    // The header shows the order at once; the rows follow when the server answers.
    await page.waitForFunction(() => {
      const v = [...document.querySelectorAll("[data-testid='cell-metrics.log_loss']")].map((c) =>
        Number(c.textContent),
      );
      return v.length > 1 && v.every((x, i) => i === 0 || v[i - 1] >= x);
    });
    const desc = await cellNumbers(page, "metrics.log_loss");
    assert.deepEqual(
      desc,
      [...desc].sort((x, y) => y - x),
    );
    await page.getByTestId("sort-metrics.log_loss").click();
    await page.getByTestId("sort-metrics.log_loss").filter({ hasText: "▲" }).waitFor();
    await page.waitForFunction(() => {
      const v = [...document.querySelectorAll("[data-testid='cell-metrics.log_loss']")].map((c) =>
        Number(c.textContent),
      );
      return v.every((x, i) => i === 0 || v[i - 1] <= x);
    });
  });

  await t.step("the column chooser hides a metric column and keeps the choice in the URL", async () => {
    await page.getByTestId("cell-metrics.f1").first().waitFor();
    await page.locator("[data-testid=column-chooser] summary").click();
    await page.getByTestId("column-option-metrics.f1").uncheck();
    await page.waitForURL(/cols=/);
    assert.equal(await page.getByTestId("cell-metrics.f1").count(), 0);
    assert.ok((await page.getByTestId("cell-metrics.log_loss").count()) > 0);
    await page.reload();
    await page.getByTestId("run-row").first().waitFor();
    assert.equal(await page.getByTestId("cell-metrics.f1").count(), 0, "the choice survives a reload");
    assert.equal(await page.getByTestId("run-filter").inputValue(), "metrics.accuracy > 0.5");
  });

  await t.step("open a sweep run: params, a metric chart, artifacts and previews", async () => {
    await page.goto(`${tableUrl}?top=1`);
    await page.locator(`[data-testid=run-row][data-run-id="${s.a}"] [data-testid=run-link]`).click();
    await page.getByTestId("run-view").waitFor();
    const maxDepth = page.getByTestId("run-params-row").filter({ hasText: "max_depth" });
    assert.match(await maxDepth.textContent(), /max_depth\s*2/);
    await page.locator("[data-testid=metric-chart][data-metric=train_loss] canvas").waitFor();
    assert.ok((await page.getByTestId("child-link").count()) >= 7, "the steps are linked");
    await page.locator('[data-testid=artifact-entry][data-path="report"] [data-testid=artifact-open]').click();
    await page
      .locator('[data-testid=artifact-entry][data-path="report/notes.txt"] [data-testid=artifact-open]')
      .click();
    await page.getByTestId("artifact-text").filter({ hasText: "iris sweep notes" }).waitFor();
    await page
      .locator('[data-testid=artifact-entry][data-path="report/predictions.csv"] [data-testid=artifact-open]')
      .click();
    await page.getByTestId("artifact-table").waitFor();
    assert.equal(await page.locator("[data-testid=artifact-table] tbody tr").count(), 100);
    await page
      .locator('[data-testid=artifact-entry][data-path="report/gradient.png"] [data-testid=artifact-open]')
      .click();
    await page.waitForFunction(() => document.querySelector("[data-testid=artifact-image]")?.naturalWidth === 48);
    const href = await page.getByTestId("artifact-download").getAttribute("href");
    const download = await fetch(t.baseUrl + href);
    assert.equal(download.status, 200);
    await page.getByTestId("log-phase").filter({ hasText: "run succeeded" }).waitFor();
    await t.screenshot("runs-run-page");
  });

  await t.step("the evaluate step's run page shows its outputs: pictures, table, report", async () => {
    const pipelineRun = await t.api("GET", `/api/v1/pipeline-runs/${s.a}`);
    const evaluate = pipelineRun.steps.find((x) => x.step === "evaluate");
    await page.goto(`${t.baseUrl}/runs/${evaluate.run_id}`);
    await page.getByTestId("run-view").waitFor();
    await page
      .getByTestId("experiment-link")
      .filter({ hasText: /^iris$/ })
      .waitFor();
    const outputs = page.getByTestId("run-outputs");
    assert.deepEqual(await outputs.getByTestId("output-entry").evaluateAll((es) => es.map((e) => e.dataset.output)), [
      "plots",
      "predictions",
      "report",
    ]);
    const plots = outputs.locator("[data-testid=output-entry][data-output=plots]");
    assert.match(await plots.textContent(), /dir.*plots\/.*[0-9a-f]{12}.*KiB · 2 files/);
    await plots.getByTestId("output-open").click();
    await checkPictures(page, outputs);
    await plots.getByTestId("output-toggle").click();
    await outputs
      .locator("[data-testid=output-file][data-path='confusion_matrix.svg'] [data-testid=output-file-open]")
      .click();
    await page.waitForFunction(
      () => document.querySelector("[data-testid=run-outputs] [data-testid=artifact-image]")?.naturalWidth > 0,
    );
    assert.equal(await outputs.getByTestId("artifact-download").getAttribute("download"), "confusion_matrix.svg");
    await checkPredictions(outputs);
    await outputs.locator("[data-testid=output-entry][data-output=report] [data-testid=output-open]").click();
    const report = outputs.getByTestId("artifact-text").filter({ hasText: "confusion_matrix" });
    await report.waitFor();
    assert.match(
      await report.textContent(),
      /\n {2}"metrics": \{\n {4}"accuracy": 0\.\d+/,
      "the JSON report is pretty-printed",
    );
    const link = outputs.locator("[data-testid=output-entry][data-output=report] [data-testid=output-download]");
    assert.equal(await link.getAttribute("download"), "report");
    const digest = evaluate.outputs.find((o) => o.name === "report").digest;
    assert.equal(await link.getAttribute("href"), `/api/v1/blobs/${digest}`);
    assert.equal((await fetch(t.baseUrl + (await link.getAttribute("href")))).status, 200);
    await page.locator("[data-testid=metrics-section][data-loaded=true]").waitFor();
    assert.equal(await page.getByTestId("run-metrics-row").filter({ hasText: "accuracy" }).count(), 1);
    assert.equal(await page.getByTestId("metric-chart").count(), 0, "single-point metrics are values, not charts");
    await outputs.locator("[data-testid=output-entry][data-output=plots] [data-testid=output-open]").click();
    await checkPictures(page, outputs);
    await t.screenshot("runs-outputs");
  });

  await t.step("the pipeline's parent run page groups every step's outputs", async () => {
    await page.goto(`${t.baseUrl}/runs/${s.a}`);
    const outputs = page.getByTestId("run-outputs");
    await outputs.getByTestId("output-step").first().waitFor();
    assert.deepEqual(await outputs.getByTestId("output-step").evaluateAll((es) => es.map((e) => e.dataset.step)), [
      "read",
      "check",
      "split",
      "features",
      "train",
      "evaluate",
      "register",
    ]);
    const evaluate = outputs.locator("[data-testid=output-step][data-step=evaluate]");
    await evaluate.locator("[data-testid=output-entry][data-output=plots] [data-testid=output-open]").click();
    await checkPictures(page, outputs);
    await checkPredictions(evaluate, outputs);
    const train = outputs.locator("[data-testid=output-step][data-step=train]");
    await train.locator("[data-testid=output-entry][data-output=model] [data-testid=output-toggle]").click();
    await train
      .locator("[data-testid=output-file][data-path='kiln-model.json'] [data-testid=output-file-open]")
      .click();
    await outputs.getByTestId("artifact-text").filter({ hasText: '"format"' }).waitFor();
  });

  await t.step("a plain run: one-point metrics are values, curves are charts, no outputs", async () => {
    const name = `e2e-runs-values-${Date.now()}`;
    const { experiment_id } = await t.api("POST", "/api/2.0/mlflow/experiments/create", { name });
    const { run } = await t.api("POST", "/api/2.0/mlflow/runs/create", { experiment_id, run_name: "values" });
    const metrics = [0, 1, 2].map((step) => ({ key: "loss", value: 1 / (step + 1), step, timestamp: Date.now() }));
    metrics.push({ key: "score", value: 0.875, step: 0, timestamp: Date.now() });
    await t.api("POST", "/api/2.0/mlflow/runs/log-batch", { run_id: run.info.run_id, metrics });
    await page.goto(`${t.baseUrl}/runs/${run.info.run_id}`);
    await page.getByTestId("experiment-link").filter({ hasText: name }).waitFor();
    await page.locator("[data-testid=metric-chart][data-metric=loss] canvas").waitFor();
    assert.equal(await page.locator("[data-testid=metric-chart][data-metric=score]").count(), 0);
    assert.match(
      await page.getByTestId("run-metrics-row").filter({ hasText: "score" }).textContent(),
      /score\s*0\.875/,
    );
    assert.match(await page.getByTestId("single-value-note").textContent(), /1 metric has a single value/);
    assert.equal(await page.getByTestId("run-outputs").count(), 0, "a run outside a pipeline has no step outputs");
  });

  await t.step("a running step's log streams live", async () => {
    const spec = [
      "name: e2e-runs-live-log",
      "steps:",
      "  talk:",
      '    command: [sh, -c, "for i in $(seq 1 16); do echo line $i; sleep 0.5; done; echo ok > ${outputs.out}"]',
      "    outputs: {out: file}",
    ].join("\n");
    const submitted = await t.api("POST", "/api/v1/pipeline-runs", { spec, use_cache: false });
    const pipelineRunId = submitted.runs[0].run_id;
    let stepRunId;
    for (let i = 0; i < 50 && !stepRunId; i++) {
      const run = await t.api("GET", `/api/v1/pipeline-runs/${pipelineRunId}`);
      stepRunId = run.steps?.find((x) => x.step === "talk" && x.run_id)?.run_id;
      if (!stepRunId) await page.waitForTimeout(100);
    }
    assert.ok(stepRunId, "the step has a tracking run");
    await page.goto(`${t.baseUrl}/runs/${stepRunId}`);
    await page.getByTestId("step-log").filter({ hasText: "line 2" }).waitFor();
    const early = await page.getByTestId("step-log").textContent();
    assert.ok(!early.includes("line 16"), `lines arrive while the step runs: ${early}`);
    assert.equal(await page.getByTestId("log-phase").textContent(), "live");
    await page.getByTestId("step-log").filter({ hasText: "line 16" }).waitFor({ timeout: 20000 });
    await page.getByTestId("log-phase").filter({ hasText: "run succeeded" }).waitFor();
  });

  await t.step("select two runs of the sweep and compare them", async () => {
    const filter = `tags."kiln.sweep_id" = '${s.sweepId}'`;
    await page.goto(`${tableUrl}?top=1&filter=${encodeURIComponent(filter)}`);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=run-row]").length === 2);
    await page.locator(`[data-testid=run-row][data-run-id="${s.a}"] [data-testid=run-select]`).check();
    assert.ok(await page.getByTestId("compare-button").isDisabled(), "one run cannot be compared");
    assert.match(await page.getByTestId("compare-hint").textContent(), /select 2 to 50 runs/);
    await page.locator(`[data-testid=run-row][data-run-id="${s.b}"] [data-testid=run-select]`).check();
    await page.getByTestId("compare-button").click();
    await page.waitForURL(/\/compare\?runs=/);
    await checkComparison(page);
    await t.screenshot("runs-compare");
  });

  await t.step("a sweep opens as the comparison of its runs", async () => {
    await page.goto(`${t.baseUrl}/compare?sweep=${s.sweepId}`);
    await checkComparison(page);
    const heads = await page
      .locator("[data-testid=param-diff] thead a")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.deepEqual(heads.sort(), [`/runs/${s.a}`, `/runs/${s.b}`].sort());
  });

  await t.step("comparing one run is refused with a message", async () => {
    await page.goto(`${t.baseUrl}/compare?runs=${s.a}`);
    await page.getByTestId("compare-refusal").waitFor();
    assert.match(await page.getByTestId("compare-refusal").textContent(), /at least 2 runs/);
  });
}

/** The evaluate step's plots folder shows both pictures (decoded, so naturalWidth > 0). */
async function checkPictures(page, outputs) {
  await outputs.getByTestId("folder-preview").waitFor();
  for (const name of ["confusion_matrix.svg", "feature_importance.svg"]) {
    await outputs.locator(`[data-testid=folder-image][data-path='${name}']`).waitFor();
    await page.waitForFunction(
      (n) =>
        document.querySelector(`[data-testid=run-outputs] [data-testid=folder-image][data-path='${n}']`)?.naturalWidth >
        0,
      name,
    );
  }
}

/** The predictions table: 45 rows in all, a `predicted` column. */
async function checkPredictions(scope, outputs = scope) {
  await scope.locator("[data-testid=output-entry][data-output=predictions] [data-testid=output-open]").click();
  const count = outputs.getByTestId("artifact-table-count");
  await count.waitFor();
  assert.equal(await count.getAttribute("data-row-count"), "45");
  assert.match(await count.textContent(), /^45 rows/);
  const heads = await outputs.locator("[data-testid=artifact-table] th").allTextContents();
  assert.ok(
    heads.some((h) => /^predicted\b/.test(h)),
    `the columns: ${heads.join(", ")}`,
  );
  assert.equal(await outputs.locator("[data-testid=artifact-table] tbody tr").count(), 45);
}

async function checkComparison(page) {
  const lines = page.locator("[data-testid=compare-chart][data-metric=train_loss][data-kind=lines] canvas");
  await lines.waitFor();
  await page.locator("[data-testid=compare-chart][data-metric='evaluate/accuracy'] canvas").waitFor();
  await page.locator("[data-testid=parallel-chart] svg").waitFor();
  assert.match(await page.getByTestId("parallel-chart").getAttribute("data-axes"), /^max_depth,evaluate\/accuracy$/);
  const row = page.locator("[data-testid=param-diff-row][data-param=max_depth]");
  assert.equal(await row.getAttribute("data-differs"), "true");
  assert.match(await row.textContent(), /max_depth\s*2\s*3|max_depth\s*3\s*2/);
  assert.ok((await page.getByTestId("param-diff-row").count()) > 1);
  await page.getByTestId("only-differences").check();
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=param-diff-row]").length === 1);
}
