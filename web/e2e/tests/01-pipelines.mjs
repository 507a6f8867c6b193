// Pipelines: build the iris pipeline in the editor by dragging modules and handles, with a
// refused connection, a refused param (inline) and a refused dataset version (the server's
// 400); save it, check the stored YAML, run it from its page and watch every step succeed
// live, read a step's log; the iris example saved unchanged stays byte-identical.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const MODULES = ["read-csv", "check", "split", "preprocess", "train-xgboost", "evaluate", "register", "shell"];

async function center(locator) {
  const box = await locator.boundingBox();
  assert.ok(box, "element is not visible");
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from an output handle to an input handle with the mouse, as a person would. */
async function connect(page, from, to) {
  const a = await center(page.getByTestId(from));
  const b = await center(page.getByTestId(to));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 10 });
  await page.mouse.up();
}

async function dropModule(page, module, x, y) {
  await page.getByTestId(`palette-${module}`).dragTo(page.getByTestId("editor-canvas"), { targetPosition: { x, y } });
  await page.getByTestId(`step-node-${module.replace(/-/g, "_")}`).waitFor();
}

const edgeCount = (page) => page.locator(".react-flow__edge").count();

async function selectStep(page, name) {
  await page.getByTestId(`step-node-${name}`).locator(".step-head").click();
  await page
    .getByTestId("step-name")
    .and(page.locator(`[value="${name}"]`))
    .waitFor();
}

async function notStored(t, name) {
  await assert.rejects(t.api("GET", `/api/v1/pipelines/${name}`), /404/);
}

export default async function (t) {
  const { page } = t;
  const suffix = Date.now().toString(36);
  const name = `e2e-iris-${suffix}`;

  await t.step("seed the iris dataset (and the modules, when the server has no standard library)", async () => {
    const listed = new Set((await t.api("GET", "/api/v1/modules")).modules.map((m) => m.name));
    for (const m of MODULES.filter((x) => !listed.has(x))) {
      await t.kiln(["module", "publish", `${t.repoRoot}/modules/${m}`, "--server", t.baseUrl]);
    }
    await t.kiln(["data", "add", `${t.repoRoot}/examples/iris/iris.csv`, "--name", "iris", "--server", t.baseUrl]);
  });

  await t.step("the list offers a new pipeline", async () => {
    await page.goto(t.baseUrl + "/pipelines");
    await page.getByTestId("new-pipeline").click();
    await page.waitForURL(/\/pipelines\/new$/);
    await page.getByTestId("palette-read-csv").waitFor();
    await page.getByTestId("pipeline-name-input").fill(name);
  });

  await t.step("drag modules from the palette onto the canvas", async () => {
    await dropModule(page, "read-csv", 30, 60);
    await dropModule(page, "split", 30, 260);
    await dropModule(page, "train-xgboost", 330, 40);
    await dropModule(page, "evaluate", 330, 330);
    await dropModule(page, "shell", 30, 470);
  });

  await t.step("connect outputs to inputs; an incompatible connection is refused", async () => {
    await connect(page, "handle-read_csv-out-table", "handle-split-in-table");
    assert.equal(await edgeCount(page), 1);
    await connect(page, "handle-split-out-train", "handle-evaluate-in-model");
    await page.getByTestId("connect-hint").getByText("Refused").waitFor();
    assert.match(await page.getByTestId("connect-hint").innerText(), /table.*model/);
    assert.equal(await edgeCount(page), 1);
    await connect(page, "handle-split-out-train", "handle-train_xgboost-in-train");
    await connect(page, "handle-train_xgboost-out-model", "handle-evaluate-in-model");
    await connect(page, "handle-split-out-test", "handle-evaluate-in-test");
    assert.equal(await edgeCount(page), 4);
  });

  await t.step("fill params; an out-of-range value is refused inline and nothing is saved", async () => {
    await selectStep(page, "train_xgboost");
    await page.getByTestId("input-validation-kind").selectOption("step"); // binding without dragging
    await page.getByTestId("input-validation-upstream").selectOption("split.test");
    assert.equal(await edgeCount(page), 5);
    await page.getByTestId("param-label").fill("species");
    await page.getByTestId("param-num_rounds").fill("0");
    await selectStep(page, "split");
    await page.getByTestId("param-stratify").fill("species");
    await selectStep(page, "shell");
    await page
      .getByTestId("param-script")
      .fill(`for i in 1 2 3; do echo "log line $i"; done; echo ${suffix} > "$KILN_OUTPUT"`);
    await page.getByTestId("save-pipeline").click();
    await page.getByTestId("problems").waitFor();
    const problems = await page.getByTestId("problems").innerText();
    assert.match(problems, /num_rounds: 0 is below the minimum 1/);
    assert.match(problems, /input 'source' is not connected or bound/);
    await selectStep(page, "train_xgboost");
    assert.match(await page.getByTestId("step-form").getByTestId("field-error").first().innerText(), /num_rounds/);
    assert.ok(await page.getByTestId("save-pipeline").isDisabled());
    await notStored(t, name);
    await page.getByTestId("param-num_rounds").fill("20");
  });

  await t.step("a dataset version only the server can judge shows its 400 message", async () => {
    await selectStep(page, "read_csv");
    await page.getByTestId("input-source-kind").selectOption("dataset");
    await page.getByTestId("input-source-dataset").selectOption("iris");
    await page.getByTestId("input-source-version").fill("99");
    assert.equal(await page.getByTestId("problems").count(), 0);
    await t.screenshot("pipelines-editor");
    await page.getByTestId("check-pipeline").click();
    await page.getByTestId("error-banner").getByText("has no version 99").waitFor();
    await page.getByTestId("save-pipeline").click();
    await page.getByTestId("error-banner").getByText("has no version 99").waitFor();
    await notStored(t, name);
  });

  await t.step("save; the stored YAML has the steps", async () => {
    await page.getByTestId("input-source-version").fill("latest");
    await page.getByTestId("check-pipeline").click();
    await page.getByTestId("check-ok").getByText(name).waitFor();
    await page.getByTestId("save-pipeline").click();
    await page.waitForURL(new RegExp(`/pipelines/${name}$`));
    const saved = (await t.api("GET", `/api/v1/pipelines/${name}`)).pipeline;
    const doc = parse(saved.spec);
    assert.equal(doc.name, name);
    assert.deepEqual(Object.keys(doc.steps).sort(), ["evaluate", "read_csv", "shell", "split", "train_xgboost"]);
    assert.equal(doc.steps.read_csv.uses, "read-csv@1.0.0");
    assert.equal(doc.steps.read_csv.inputs.source, "dataset:iris@latest");
    assert.equal(doc.steps.evaluate.inputs.model, "train_xgboost.model");
    assert.equal(doc.steps.train_xgboost.inputs.validation, "split.test");
    assert.equal(doc.steps.train_xgboost.params.num_rounds, 20);
    assert.equal(doc.steps.train_xgboost.params.label, "species");
    await page.getByTestId("pipeline-yaml").getByText("train_xgboost.model").first().waitFor();
  });

  await t.step("run it from its page and watch every step succeed live (or come from the cache)", async () => {
    await page.getByTestId("run-submit").click();
    await page.waitForURL(/\/pipeline-runs\/[0-9a-f]+$/);
    await page.getByTestId("step-node-evaluate").waitFor();
    await page.waitForFunction(
      () => {
        const nodes = [...document.querySelectorAll("[data-testid^=step-node-]")];
        return (
          nodes.length === 5 && nodes.every((n) => ["SUCCEEDED", "CACHED"].includes(n.getAttribute("data-status")))
        );
      },
      null,
      { timeout: 120000 },
    );
    await page.getByTestId("run-status").and(page.locator('[data-status="SUCCEEDED"]')).waitFor();
  });

  await t.step("a step's log shows its lines", async () => {
    await page.getByTestId("step-node-shell").locator(".step-head").click();
    await page.getByTestId("step-log").getByText("log line 3").waitFor();
    assert.match(await page.getByTestId("step-log").innerText(), /log line 1\nlog line 2\nlog line 3/);
    await t.screenshot("pipelines-run");
  });

  await t.step("a running step shows live and the run can be cancelled", async () => {
    const slow = `e2e-slow-${suffix}`;
    const spec = [
      `name: ${slow}`,
      "steps:",
      "  wait:",
      "    uses: shell@1.0.0",
      `    params: {script: 'echo started ${suffix}; sleep 60; echo done > "$KILN_OUTPUT"'}`,
      "",
    ].join("\n");
    await t.api("PUT", `/api/v1/pipelines/${slow}`, { spec });
    const submitted = await t.api("POST", "/api/v1/pipeline-runs", { pipeline: slow });
    const runId = submitted.runs[0].run_id;
    await page.goto(`${t.baseUrl}/pipeline-runs/${runId}`);
    await page.locator('[data-testid="step-node-wait"][data-status="RUNNING"]').waitFor();
    await page.getByTestId("step-node-wait").locator(".step-head").click();
    await page.getByTestId("step-log").getByText(`started ${suffix}`).waitFor();
    await page.getByTestId("cancel-run").click();
    await page.locator('[data-testid="run-status"][data-status="CANCELLED"]').waitFor({ timeout: 20000 });
    await page.locator('[data-testid="step-node-wait"][data-status="CANCELLED"]').waitFor();
    assert.equal((await t.api("GET", `/api/v1/pipeline-runs/${runId}`)).status, "CANCELLED");
  });

  await t.step("the list shows the pipeline and its last run", async () => {
    await page.goto(t.baseUrl + "/pipelines");
    const row = page.getByTestId("pipeline-row").filter({ hasText: name });
    await row.getByTestId("state-badge").getByText("SUCCEEDED").waitFor();
    assert.match(await row.innerText(), /\b5\b/);
    await t.screenshot("pipelines-list");
  });

  await t.step("the run panel refuses an out-of-range override before sending", async () => {
    const rt = `e2e-params-${suffix}`;
    const text = readFileSync(`${t.repoRoot}/examples/iris/pipeline.yaml`, "utf8").replace(
      /^name: iris$/m,
      `name: ${rt}`,
    );
    await t.api("PUT", `/api/v1/pipelines/${rt}`, { spec: text });
    await page.goto(`${t.baseUrl}/pipelines/${rt}`);
    await page.getByTestId("override-max_depth").fill("40");
    await page.getByTestId("run-submit").click();
    await page.getByTestId("run-panel").getByText("40 is above the maximum 12").waitFor();
    const runs = await t.api("GET", `/api/v1/pipeline-runs?pipeline=${rt}`);
    assert.equal(runs.runs.length, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await t.screenshot("pipelines-view");
  });

  await t.step("a sweep grid started from the page runs every point and opens as a comparison", async () => {
    const rt = `e2e-sweep-${suffix}`;
    const text = readFileSync(`${t.repoRoot}/examples/iris/pipeline.yaml`, "utf8").replace(
      /^name: iris$/m,
      `name: ${rt}`,
    );
    await t.api("PUT", `/api/v1/pipelines/${rt}`, { spec: text, base_dir: `${t.repoRoot}/examples/iris` });
    await page.goto(`${t.baseUrl}/pipelines/${rt}`);
    await page.getByTestId("sweep-mode").check();
    await page.getByTestId("override-max_depth").fill("2,3");
    await page.getByTestId("override-num_rounds").fill("5");
    await page.getByTestId("run-submit").click();
    await page.getByTestId("sweep-result").waitFor();
    assert.equal(await page.getByTestId("sweep-run-link").count(), 2);
    const ids = (await t.api("GET", `/api/v1/pipeline-runs?pipeline=${rt}`)).runs.map((r) => r.run_id);
    assert.equal(ids.length, 2);
    for (let i = 0; i < 600; i++) {
      const states = await Promise.all(
        ids.map(async (id) => (await t.api("GET", `/api/v1/pipeline-runs/${id}`)).status),
      );
      if (states.every((s) => s === "SUCCEEDED")) break;
      assert.ok(!states.some((s) => s === "FAILED" || s === "CANCELLED"), `sweep runs ended ${states}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await page.getByTestId("sweep-compare").click();
    const row = page.locator("[data-testid=param-diff-row][data-param=max_depth]");
    await row.waitFor();
    assert.match(await row.textContent(), /max_depth\s*2\s*3|max_depth\s*3\s*2/);
    await t.screenshot("pipelines-sweep-compare");
  });

  await t.step("the iris example saved unchanged from the editor stays byte-identical", async () => {
    const rt = `e2e-roundtrip-${suffix}`;
    const text = readFileSync(`${t.repoRoot}/examples/iris/pipeline.yaml`, "utf8").replace(
      /^name: iris$/m,
      `name: ${rt}`,
    );
    await t.api("PUT", `/api/v1/pipelines/${rt}`, { spec: text });
    await page.goto(`${t.baseUrl}/pipelines/${rt}/edit`);
    await page.getByTestId("step-node-register").waitFor();
    await page.getByTestId("tab-yaml").click();
    assert.equal(await page.getByTestId("yaml-preview").textContent(), text);
    await page.getByTestId("save-pipeline").click();
    await page.waitForURL(new RegExp(`/pipelines/${rt}$`));
    const saved = (await t.api("GET", `/api/v1/pipelines/${rt}`)).pipeline;
    assert.equal(saved.spec, text);
  });
}
