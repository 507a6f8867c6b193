// Models, deployments, datasets and modules: the iris example (reading the dataset `iris`) is
// run once through the CLI; then, in the browser, the train step's model is registered under a
// new name from its run page, an alias is set and moved with a confirmation, the lineage graph
// shows dataset -> model version, the model is deployed, a real prediction is sent with "Try
// it" and shows up in the request log, and the datasets and modules pages show what was used.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const suffix = Date.now().toString(36);
const modelName = `e2e-iris-${suffix}`;
const deploymentName = `e2e-iris-${suffix}`;

/** The iris example, reading its rows from the dataset `iris` instead of the file. */
function writePipeline(repoRoot) {
  const source = readFileSync(path.join(repoRoot, "examples/iris/pipeline.yaml"), "utf8");
  const text = source.replace('"file:iris.csv"', '"dataset:iris@latest"');
  assert.notEqual(text, source, "the iris example no longer reads file:iris.csv");
  const dir = mkdtempSync(path.join(tmpdir(), "kiln-e2e-models-"));
  writeFileSync(path.join(dir, "pipeline.yaml"), text);
  return path.join(dir, "pipeline.yaml");
}

async function seed(t) {
  const server = ["--server", t.baseUrl];
  await t.kiln(["data", "add", path.join(t.repoRoot, "examples/iris/iris.csv"), "--name", "iris", ...server]);
  const pipeline = writePipeline(t.repoRoot);
  const ran = await t
    .kiln(["run", pipeline, "--json", ...server])
    .finally(() => rmSync(path.dirname(pipeline), { recursive: true, force: true }));
  const run = JSON.parse(ran.stdout).runs[0];
  assert.equal(run.status, "SUCCEEDED");
  await t.kiln(["module", "publish", path.join(t.repoRoot, "modules/train-xgboost"), ...server]);
  const train = run.steps.find((s) => s.step === "train");
  const read = run.steps.find((s) => s.step === "read");
  const model = train.outputs.find((o) => o.type === "model");
  return { trainRunId: train.run_id, readRunId: read.run_id, digest: model.digest };
}

/** The model's aliases as {alias: version}. */
async function aliasesOf(t) {
  const { model } = await t.api("GET", `/api/v1/models/${modelName}`);
  return Object.fromEntries((model.aliases ?? []).map((a) => [a.alias, a.version]));
}

export default async function (t) {
  const { page } = t;
  let seeded;
  await t.step("seed: the iris pipeline on dataset iris, and the train-xgboost module", async () => {
    seeded = await seed(t);
  });

  await t.step("register the train step's model from its run page (an invalid name first)", async () => {
    await page.goto(`${t.baseUrl}/runs/${seeded.trainRunId}`);
    await page.getByTestId("register-model-button").click();
    await page.getByTestId("register-name").fill("bad name!");
    await page.getByTestId("register-submit").click();
    await page.getByTestId("register-name-error").waitFor();
    const { models } = await t.api("GET", "/api/v1/models?max_results=1000");
    assert.ok(!models.some((m) => m.name === "bad name!"), "an invalid name was sent");
    await page.getByTestId("register-name").fill(modelName);
    await page.getByTestId("register-submit").click();
    await page.getByTestId("register-result").waitFor();
    await t.screenshot("03-register-model");
    const { model } = await t.api("GET", `/api/v1/models/${modelName}`);
    assert.equal(model.versions.length, 1);
    assert.equal(model.versions[0].source, `kiln-package:${seeded.digest}`);
    assert.equal(model.versions[0].run_id, seeded.trainRunId);
  });

  await t.step("set an alias on the model page with the confirmation dialog", async () => {
    await page.getByTestId("register-result-link").click();
    await page.getByTestId("version-row").first().waitFor();
    await page.getByTestId("set-alias").click();
    await page.getByTestId("alias-name").fill("champion");
    await page.getByTestId("alias-next").click();
    assert.match(await page.getByTestId("confirm-question").innerText(), /Set @champion on v1\?/);
    await page.getByTestId("confirm-yes").click();
    await page.getByTestId("alias-chip").filter({ hasText: "champion" }).first().waitFor();
    assert.deepEqual(await aliasesOf(t), { champion: "1" });
  });

  await t.step("move the alias to a second version, confirming 'from v1 to v2'", async () => {
    await t.api("POST", "/api/2.0/mlflow/model-versions/create", {
      name: modelName,
      source: `kiln-package:${seeded.digest}`,
      run_id: seeded.trainRunId,
    });
    await page.reload();
    await page.locator('[data-testid="version-row"][data-version="2"]').waitFor();
    await page.locator('[data-testid="version-row"][data-version="2"]').getByTestId("alias-version-button").click();
    await page.getByTestId("alias-name").fill("champion");
    await page.getByTestId("alias-next").click();
    assert.match(await page.getByTestId("confirm-question").innerText(), /Move @champion from v1 to v2\?/);
    await page.getByTestId("confirm-yes").click();
    await page.locator('[data-testid="version-row"][data-version="2"]').getByTestId("alias-chip").waitFor();
    assert.deepEqual(await aliasesOf(t), { champion: "2" });
  });

  await t.step("the lineage graph goes from the dataset to the model version", async () => {
    await page.locator('[data-testid="lineage-node"][data-kind="dataset"]').first().waitFor();
    await page.locator('[data-testid="lineage-node"][data-kind="model_version"]').waitFor();
    assert.match(await page.locator('[data-kind="dataset"]').first().innerText(), /iris@\d+/);
    assert.ok((await page.locator('[data-kind="step_run"]').count()) >= 3, "step runs missing");
    await t.screenshot("03-model-page");
  });

  await t.step("deploy: an invalid name is refused, an unknown alias shows the server's 404", async () => {
    await page.getByTestId("deploy-alias").first().click();
    await page.getByTestId("deploy-name").fill("no spaces allowed");
    await page.getByTestId("deploy-submit").click();
    assert.match(await page.getByTestId("field-error").first().innerText(), /deployment name/);
    const { deployments } = await t.api("GET", "/api/v1/deployments");
    assert.ok(!deployments.some((d) => d.name === "no spaces allowed"));
    await page.getByTestId("deploy-name").fill(deploymentName);
    await page.getByTestId("deploy-model").fill(`${modelName}@nosuch`);
    await page.getByTestId("deploy-submit").click();
    const banner = page.getByTestId("deploy-dialog").getByTestId("error-banner");
    await banner.waitFor();
    assert.match(await banner.innerText(), /nosuch/);
    await t.screenshot("03-deploy-error");
  });

  await t.step("deploy the model and wait until it is ready", async () => {
    await page.getByTestId("deploy-model").fill(`${modelName}@champion`);
    await page.getByTestId("deploy-submit").click();
    await page.waitForURL(new RegExp(`/deployments/${deploymentName}$`));
    await page.getByTestId("deployment-state").filter({ hasText: "ready" }).waitFor({ timeout: 60000 });
    assert.equal(await page.getByTestId("serving-version").innerText(), "v2");
  });

  let requestId;
  await t.step("try it: a bad number is refused, a setosa-like row predicts setosa", async () => {
    const rows = { sepal_length: "5.1", sepal_width: "3.5", petal_length: "1.4", petal_width: "0.2" };
    await page.getByTestId("try-input-sepal_length").waitFor();
    for (const [column, value] of Object.entries(rows)) await page.getByTestId(`try-input-${column}`).fill(value);
    await page.getByTestId("try-input-sepal_length").fill("wide");
    await page.getByTestId("try-submit").click();
    assert.match(await page.getByTestId("try-error").innerText(), /sepal_length: expected a number/);
    const before = await t.api("GET", `/api/v1/deployments/${deploymentName}/requests?limit=100`);
    assert.equal(before.requests.length, 0, "a refused row was sent");
    await page.getByTestId("try-input-sepal_length").fill("5.1");
    await page.getByTestId("try-submit").click();
    await page.getByTestId("try-predicted").waitFor();
    assert.equal(await page.getByTestId("try-predicted").innerText(), "setosa");
    requestId = await page.getByTestId("try-request-id").innerText();
  });

  await t.step("drift on one row has no level: insufficient data, no PSI", async () => {
    const cell = page.getByTestId("drift-insufficient").filter({ hasText: "insufficient data (1 of 100 rows)" });
    await cell.first().waitFor({ timeout: 15000 });
    assert.doesNotMatch(await page.getByTestId("drift-table").innerText(), /major/);
  });

  await t.step("feedback on the prediction shows in the live accuracy", async () => {
    await page.getByTestId("feedback-label").selectOption("setosa");
    await page.getByTestId("feedback-send").click();
    await page.getByTestId("feedback-sent").waitFor();
    await page.getByTestId("quality-table").filter({ hasText: "100.0%" }).waitFor();
    const { deployment } = await t.api("GET", `/api/v1/deployments/${deploymentName}`);
    assert.equal(deployment.quality[0].correct, 1);
  });

  await t.step("the request shows in the recent requests, with its inputs", async () => {
    const row = page.getByTestId("request-row").filter({ hasText: requestId });
    await row.waitFor({ timeout: 15000 });
    await t.screenshot("03-deployment-page");
    await row.click();
    assert.match(await page.getByTestId("request-dialog").innerText(), /petal_width/);
    await page.keyboard.press("Escape");
    const { requests } = await t.api("GET", `/api/v1/deployments/${deploymentName}/requests?limit=10`);
    assert.ok(requests.some((r) => r.request_id === requestId));
  });

  await t.step("the deployments list shows it", async () => {
    await page.goto(`${t.baseUrl}/deployments`);
    await page.getByTestId("deployment-row").filter({ hasText: deploymentName }).waitFor();
    await t.screenshot("03-deployments");
  });

  await t.step("datasets: iris is listed with the run that read it", async () => {
    await page.goto(`${t.baseUrl}/datasets`);
    await page
      .getByTestId("dataset-row")
      .filter({ hasText: "iris" })
      .first()
      .getByRole("link", { name: "iris", exact: true })
      .click();
    await page.locator(`[data-testid="dataset-run-link"][href="/runs/${seeded.readRunId}"]`).waitFor();
    await t.screenshot("03-dataset");
  });

  await t.step("modules: train-xgboost with its params", async () => {
    await page.goto(`${t.baseUrl}/modules`);
    await page.getByTestId("module-search").fill("xgboost");
    await page.getByRole("link", { name: "train-xgboost" }).click();
    const params = page.getByTestId("module-param");
    await params.first().waitFor();
    const names = await params.locator("td:first-child").allInnerTexts();
    for (const p of ["label", "max_depth", "eta", "num_rounds"]) assert.ok(names.includes(p), `param ${p} missing`);
    await t.screenshot("03-module");
  });

  await t.step("delete an alias with a confirmation", async () => {
    await t.api("POST", "/api/2.0/mlflow/registered-models/alias", { name: modelName, alias: "staging", version: "1" });
    await page.goto(`${t.baseUrl}/models/${modelName}`);
    await page.getByTestId("alias-bar").getByRole("button", { name: "delete alias staging → v1" }).click();
    assert.match(await page.getByTestId("confirm-question").innerText(), /Delete @staging \(now on v1\)/);
    await page.getByTestId("confirm-yes").click();
    await page.getByTestId("confirm-dialog").waitFor({ state: "detached" });
    assert.deepEqual(await aliasesOf(t), { champion: "2" });
  });

  await t.step("models list shows the new model", async () => {
    await page.goto(`${t.baseUrl}/models`);
    await page.getByTestId("model-search").fill(modelName);
    await page.getByTestId("model-row").filter({ hasText: modelName }).waitFor();
    await t.screenshot("03-models");
  });
}
