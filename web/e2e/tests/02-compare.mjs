// The comparison page's numbers: the parallel-coordinates legend tells a narrow metric range
// apart (0.812 and 0.848, not "1" and "1"), and a sweep point whose steps came from the cache
// shows the metrics its cached step runs carry (copied from the runs that computed them).
import assert from "node:assert/strict";
import path from "node:path";

async function publishModules(t) {
  const listed = new Set((await t.api("GET", "/api/v1/modules")).modules.map((m) => m.name));
  for (const m of ["read-csv", "check", "split", "preprocess", "train-xgboost", "evaluate", "register"]) {
    if (!listed.has(m)) await t.kiln(["module", "publish", path.join(t.repoRoot, "modules", m), "--server", t.baseUrl]);
  }
}

/** Runs the iris example through the CLI; resolves to its runs ({run_id, sweep_id, ...}). */
async function runIris(t, args) {
  const pipeline = path.join(t.repoRoot, "examples", "iris", "pipeline.yaml");
  const out = await t.kiln(["run", pipeline, ...args, "--json", "--server", t.baseUrl], {
    cwd: path.dirname(pipeline),
  });
  return JSON.parse(out.stdout).runs;
}

const svgTexts = (page, selector) =>
  page.locator(`${selector} svg text`).evaluateAll((ts) => ts.map((t) => t.textContent.trim()).filter(Boolean));

export default async function (t) {
  const { page } = t;

  await t.step("the parallel chart's legend and metric axis tell 0.812 from 0.848", async () => {
    const name = `e2e-compare-legend-${Date.now()}`;
    const { experiment_id } = await t.api("POST", "/api/2.0/mlflow/experiments/create", { name });
    const ids = [];
    for (const [lr, accuracy] of [
      ["0.1", 0.812],
      ["0.2", 0.848],
      ["0.3", 0.83],
    ]) {
      const { run } = await t.api("POST", "/api/2.0/mlflow/runs/create", { experiment_id, run_name: `lr-${lr}` });
      await t.api("POST", "/api/2.0/mlflow/runs/log-batch", {
        run_id: run.info.run_id,
        params: [{ key: "lr", value: lr }],
        metrics: [{ key: "accuracy", value: accuracy, step: 0, timestamp: Date.now() }],
      });
      ids.push(run.info.run_id);
    }
    await page.goto(`${t.baseUrl}/compare?runs=${ids.join(",")}`);
    await page.locator("[data-testid=parallel-chart][data-axes='lr,accuracy'] svg text").first().waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[data-testid=parallel-chart] svg text")].some((e) => e.textContent === "0.848"),
    );
    const texts = await svgTexts(page, "[data-testid=parallel-chart]");
    assert.ok(texts.includes("0.812") && texts.includes("0.848"), `the legend's ends: ${texts.join(" | ")}`);
    assert.ok(texts.filter((x) => x === "1").length === 0, `no end rounds to 1: ${texts.join(" | ")}`);
    assert.equal(new Set(texts).size, texts.length, `every axis label reads differently: ${texts.join(" | ")}`);
  });

  let sweep;
  let cachedPoint;
  await t.step("a sweep with one point whose steps all come from the cache", async () => {
    await publishModules(t);
    const seed = String(1000 + Math.floor(Math.random() * 1000)); // cache keys of this file alone
    await runIris(t, [`seed=${seed}`, "num_rounds=5", "max_depth=2"]);
    const runs = await runIris(t, ["-m", `seed=${seed}`, "num_rounds=5", "max_depth=2,3"]);
    assert.equal(runs.length, 2);
    sweep = runs[0].sweep_id;
    const points = await Promise.all(runs.map((r) => t.api("GET", `/api/v1/pipeline-runs/${r.run_id}`)));
    cachedPoint = points.find((p) => p.params.max_depth === 2 || p.params.max_depth === "2");
    assert.ok(cachedPoint, `the max_depth=2 point: ${JSON.stringify(points.map((p) => p.params))}`);
    const evaluate = cachedPoint.steps.find((s) => s.step === "evaluate");
    assert.equal(evaluate.cached, true, "the max_depth=2 point's evaluate step came from the cache");
    cachedPoint.evaluateRunId = evaluate.run_id;
  });

  await t.step("the cached point shows the metrics its step runs carry", async () => {
    const evaluateRun = (await t.api("GET", `/api/v1/runs/${cachedPoint.evaluateRunId}`)).run;
    const copied = Object.fromEntries((evaluateRun.data.metrics ?? []).map((m) => [m.key, m.value]));
    assert.ok("accuracy" in copied, `the cached evaluate run carries its metrics: ${JSON.stringify(copied)}`);
    await page.goto(`${t.baseUrl}/compare?sweep=${sweep}`);
    const chart = page.locator("[data-testid=compare-chart][data-metric='evaluate/accuracy'][data-kind=final]");
    await chart.locator("canvas").waitFor();
    assert.equal(await chart.getAttribute("data-bars"), "2");
    assert.equal(await chart.getByTestId("compare-chart-missing").count(), 0);
    assert.equal(await page.getByTestId("compare-no-metrics").count(), 0);
    const row = page.getByTestId("compare-metrics-row").filter({ hasText: "evaluate/accuracy" });
    const cells = await row.locator("td.num").allTextContents();
    assert.equal(cells.length, 2);
    assert.ok(
      cells.every((c) => /^\d/.test(c)),
      `both points have a value: ${cells.join(", ")}`,
    );
    await t.screenshot("compare-cached-point");
  });
}
