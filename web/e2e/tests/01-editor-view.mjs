// The pipeline editor as it opens: the whole DAG in view (every step inside the canvas, with
// room around it) on a laptop and a wide screen, here and on the pipeline's page; and the
// pipeline params' boxes labelled (name, type, default, min, max), visibly and for a screen
// reader.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const sizes = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];
const STEPS = ["read", "check", "split", "features", "train", "evaluate", "register"];

/** Every step node lies inside the canvas, `margin` pixels clear of its edges. */
async function assertAllInView(page, canvasTestId, margin = 8) {
  const canvas = await page.getByTestId(canvasTestId).boundingBox();
  for (const step of STEPS) {
    const node = await page.getByTestId(`step-node-${step}`).boundingBox();
    assert.ok(node, `${step} is drawn`);
    const inside =
      node.x >= canvas.x + margin &&
      node.y >= canvas.y + margin &&
      node.x + node.width <= canvas.x + canvas.width - margin &&
      node.y + node.height <= canvas.y + canvas.height - margin;
    const where = `node ${JSON.stringify(node)} in canvas ${JSON.stringify(canvas)}`;
    assert.ok(inside, `${canvasTestId}: step ${step} is cut off or touches the edge: ${where}`);
  }
}

/** Waits until React Flow has measured the nodes and fitted the view (the viewport settles). */
async function settled(page, canvasTestId) {
  await page.getByTestId("step-node-register").waitFor();
  let last = "";
  for (let i = 0; i < 40; i++) {
    const now = await page
      .getByTestId(canvasTestId)
      .locator(".react-flow__viewport")
      .evaluate((v) => v.style.transform);
    if (now === last && now) return;
    last = now;
    await page.waitForTimeout(150);
  }
}

export default async function (t) {
  const { page } = t;
  const name = `e2e-view-${Date.now().toString(36)}`;
  const text = readFileSync(`${t.repoRoot}/examples/iris/pipeline.yaml`, "utf8").replace(
    /^name: iris$/m,
    `name: ${name}`,
  );
  const listed = new Set((await t.api("GET", "/api/v1/modules")).modules.map((m) => m.name));
  for (const m of ["read-csv", "check", "split", "preprocess", "train-xgboost", "evaluate", "register"]) {
    if (!listed.has(m)) await t.kiln(["module", "publish", `${t.repoRoot}/modules/${m}`, "--server", t.baseUrl]);
  }
  await t.api("PUT", `/api/v1/pipelines/${name}`, { spec: text });

  for (const size of sizes) {
    await t.step(`the editor opens with every step in view at ${size.width}x${size.height}`, async () => {
      await page.setViewportSize(size);
      await page.goto(`${t.baseUrl}/pipelines/${name}/edit`);
      await settled(page, "editor-canvas");
      await assertAllInView(page, "editor-canvas");
      await t.screenshot(`pipelines-editor-${size.width}`);
    });
    await t.step(`the pipeline's page shows every step at ${size.width}x${size.height}`, async () => {
      await page.goto(`${t.baseUrl}/pipelines/${name}`);
      await settled(page, "dag-canvas");
      await assertAllInView(page, "dag-canvas");
    });
  }

  await t.step("pipeline param rows label their boxes: name, type, default, min, max", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${t.baseUrl}/pipelines/${name}/edit`);
    const row = page.getByTestId("pipeline-param-max_depth");
    await row.waitFor();
    // Each box has an accessible name that says which param and which part it is.
    assert.equal(await row.getByRole("combobox", { name: "max_depth type", exact: true }).inputValue(), "int");
    assert.equal(await row.getByRole("textbox", { name: "max_depth default", exact: true }).inputValue(), "3");
    assert.equal(await row.getByRole("textbox", { name: "max_depth min", exact: true }).inputValue(), "1");
    assert.equal(await row.getByRole("textbox", { name: "max_depth max", exact: true }).inputValue(), "12");
    // And a visible label beside it, not only a placeholder that disappears once filled.
    for (const label of ["type", "default", "min", "max"]) {
      assert.ok(await row.getByText(label, { exact: true }).isVisible(), `'${label}' is written beside its box`);
    }
    // A string param has no min/max; its default box is labelled the same way.
    await row.getByRole("combobox", { name: "max_depth type" }).selectOption("string");
    assert.equal(await row.getByRole("textbox", { name: "max_depth min" }).count(), 0);
    await row.getByRole("combobox", { name: "max_depth type" }).selectOption("int");
    await t.screenshot("pipelines-editor-params");
  });
}
